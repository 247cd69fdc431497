"""What viewers reach: CloudFront in front of the media bucket (origin access control, signed
URLs by a key group) and the public load balancer (HTTPS only; HTTP answers with a redirect).
Also the internal load balancer the gateway reaches the other roles through (no Cloud Map)."""

from __future__ import annotations

from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from constructs import Construct

from videoforge_aws.data import Data
from videoforge_aws.network import PEER_PORTS, Network


class Edge(Construct):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        network: Network,
        data: Data,
        certificate_arn: str,
        cdn_public_key_pem: str,
    ) -> None:
        super().__init__(scope, id)

        # Media: the bucket has no public access; CloudFront reads it with origin access
        # control and serves only URLs signed with the key pair whose public half is here.
        self.cdn_public_key = cloudfront.PublicKey(
            self,
            "MediaKey",
            encoded_key=cdn_public_key_pem,
            comment="VideoForge signs media URLs with the private half (VIDEOFORGE_CDN_*)",
        )
        key_group = cloudfront.KeyGroup(self, "MediaKeyGroup", items=[self.cdn_public_key])
        self.distribution = cloudfront.Distribution(
            self,
            "Media",
            comment="VideoForge media (signed URLs only)",
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.S3BucketOrigin.with_origin_access_control(data.bucket),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
                trusted_key_groups=[key_group],
                allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                origin_request_policy=cloudfront.OriginRequestPolicy.CORS_S3_ORIGIN,
                # hls.js fetches segments from the player's page on another origin.
                response_headers_policy=cloudfront.ResponseHeadersPolicy.CORS_ALLOW_ALL_ORIGINS,
            ),
            price_class=cloudfront.PriceClass.PRICE_CLASS_100,
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            enable_logging=True,
            log_bucket=data.access_logs,
            log_file_prefix="cloudfront/",
        )

        # The public entry: HTTPS with the account's certificate; HTTP only redirects.
        self.public_alb = elbv2.ApplicationLoadBalancer(
            self,
            "Public",
            vpc=network.vpc,
            internet_facing=True,
            security_group=network.public_alb_sg,
            vpc_subnets=network.public_subnets,
            drop_invalid_header_fields=True,
        )
        self.https = self.public_alb.add_listener(
            "Https",
            port=443,
            protocol=elbv2.ApplicationProtocol.HTTPS,
            certificates=[acm.Certificate.from_certificate_arn(self, "Cert", certificate_arn)],
            ssl_policy=elbv2.SslPolicy.RECOMMENDED_TLS,
            open=False,  # the security group in network.py already admits the world on 443
        )
        self.public_alb.add_listener(
            "HttpRedirect",
            port=80,
            protocol=elbv2.ApplicationProtocol.HTTP,
            default_action=elbv2.ListenerAction.redirect(
                protocol="HTTPS", port="443", permanent=True
            ),
            open=False,
        )

        # East-west: the gateway forwards to auth, gallery and streaming by URL settings.
        self.internal_alb = elbv2.ApplicationLoadBalancer(
            self,
            "Internal",
            vpc=network.vpc,
            internet_facing=False,
            security_group=network.internal_alb_sg,
            vpc_subnets=network.private_subnets,
            drop_invalid_header_fields=True,
        )
        self._peer_listeners: dict[str, elbv2.ApplicationListener] = {}

    def peer_listener(self, role: str) -> elbv2.ApplicationListener:
        """The internal listener in front of `role` (made on first use)."""
        if role not in self._peer_listeners:
            self._peer_listeners[role] = self.internal_alb.add_listener(
                f"{role.capitalize()}Peer",
                port=PEER_PORTS[role],
                protocol=elbv2.ApplicationProtocol.HTTP,
                open=False,  # network.py admits only the services
            )
        return self._peer_listeners[role]

    def peer_url(self, role: str) -> str:
        return f"http://{self.internal_alb.load_balancer_dns_name}:{PEER_PORTS[role]}"
