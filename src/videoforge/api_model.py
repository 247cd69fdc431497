"""The base of every JSON body of the HTTP API: snake_case in Python, camelCase on the wire
(as the original's client reads and writes them); either name is accepted on input."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class ApiModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)
