"""VideoForge on AWS, as a CDK app: `build_app` makes the stack for one shape."""
