"""The Cognito user pool VideoForge signs people in with: TOTP second factor (optional or
required), a public app client for the web app (authorization code + PKCE through the hosted
UI), the hosted UI's domain and the `admin` group VideoForge maps to its admin role."""

from __future__ import annotations

from aws_cdk import Aws, Duration, RemovalPolicy
from aws_cdk import aws_cognito as cognito
from constructs import Construct

from videoforge_aws.settings import DeploySettings

ADMIN_GROUP = "admin"  # videoforge.auth.external.ADMIN_GROUP


class Identity(Construct):
    def __init__(
        self, scope: Construct, id: str, *, settings: DeploySettings, public_url: str
    ) -> None:
        super().__init__(scope, id)
        self.pool = cognito.UserPool(
            self,
            "Users",
            self_sign_up_enabled=True,
            sign_in_aliases=cognito.SignInAliases(username=True, email=True),
            auto_verify=cognito.AutoVerifiedAttrs(email=True),
            mfa=cognito.Mfa.REQUIRED if settings.mfa == "required" else cognito.Mfa.OPTIONAL,
            mfa_second_factor=cognito.MfaSecondFactor(otp=True, sms=False),
            password_policy=cognito.PasswordPolicy(
                min_length=12,
                require_digits=True,
                require_lowercase=True,
                require_uppercase=True,
                require_symbols=True,
            ),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
            removal_policy=RemovalPolicy.RETAIN if settings.keep_data else RemovalPolicy.DESTROY,
        )
        self.client = self.pool.add_client(
            "Web",
            generate_secret=False,  # a browser app: public client, PKCE instead of a secret
            auth_flows=cognito.AuthFlow(user_srp=True),
            o_auth=cognito.OAuthSettings(
                flows=cognito.OAuthFlows(authorization_code_grant=True),
                scopes=[
                    cognito.OAuthScope.OPENID,
                    cognito.OAuthScope.EMAIL,
                    cognito.OAuthScope.PROFILE,
                ],
                callback_urls=[f"{public_url}/auth/callback"],
                logout_urls=[f"{public_url}/"],
            ),
            prevent_user_existence_errors=True,
            access_token_validity=Duration.minutes(60),
            id_token_validity=Duration.minutes(60),
            refresh_token_validity=Duration.days(30),
        )
        self.domain = self.pool.add_domain(
            "HostedUi",
            cognito_domain=cognito.CognitoDomainOptions(
                # Unique per account and region, known before deploy.
                domain_prefix=f"videoforge-{Aws.ACCOUNT_ID}"
            ),
        )
        cognito.CfnUserPoolGroup(
            self,
            "Admins",
            user_pool_id=self.pool.user_pool_id,
            group_name=ADMIN_GROUP,
            description="VideoForge administrators (the admin role)",
        )

    @property
    def hosted_ui_url(self) -> str:
        """https://<prefix>.auth.<region>.amazoncognito.com (VIDEOFORGE_COGNITO_DOMAIN)."""
        return self.domain.base_url()
