"""Fixes to the emulator (moto 5.2.5) where it departs from AWS in a way palisade's collectors would see, and
one where it spends its time for nothing.

Loaded by moto_server only (tests/emulator/start.sh puts this directory on its PYTHONPATH; sitecustomize.py
here, or the benchmark's own sitecustomize, imports it). Each fix says what AWS does and what moto did.

- WAFv2 ListLoggingConfigurations: AWS returns the logging configurations of the web ACLs of the scope
  asked for (CLOUDFRONT: the global ACLs, read in us-east-1; REGIONAL: the region's). moto matches
  `:global:` in the ACL ARN, which never occurs (a CloudFront ACL's ARN reads
  `arn:aws:wafv2:us-east-1:<account>:global/webacl/...`), so CLOUDFRONT listed nothing, and REGIONAL in
  us-east-1 listed the CloudFront ACLs' configurations too.
- Speed: to route each request, moto listed its package directory and stat-ed every entry
  (`backends.list_of_moto_modules`, called by the server's dispatcher per request): a seventh of the
  emulator's time on a scan. The list cannot change while the server runs, so it is read once. Likewise,
  each request listed the methods of its service's response class by introspection
  (`method_names_from_class`); they are listed once per class. Routing, and so every answer, is unchanged.
"""
import os
import sys


def _fix_wafv2_logging_listing():
    from moto.utilities.paginator import paginate
    from moto.wafv2 import models

    @paginate(models.PAGINATION_MODEL)  # type: ignore
    def list_logging_configurations(self, scope):
        if scope == "CLOUDFRONT":
            wanted = lambda arn: ":global/webacl/" in arn  # noqa: E731
        else:
            region = f":{self.region_name}:"
            wanted = lambda arn: region in arn and ":regional/webacl/" in arn  # noqa: E731
        return [c for arn, c in self.logging_configurations.items() if wanted(arn)]

    models.WAFV2Backend.list_logging_configurations = list_logging_configurations


def _fix_module_listing_per_request():
    from moto import backends

    modules = tuple(backends.list_of_moto_modules())
    if not modules:
        raise RuntimeError("moto lists no modules")
    backends.list_of_moto_modules = lambda: modules


def _fix_method_listing_per_request():
    from moto.core import responses

    listed = {}
    original = responses.method_names_from_class

    def method_names_from_class(clazz):
        names = listed.get(clazz)
        if names is None:
            names = listed[clazz] = frozenset(original(clazz))
        return names

    responses.method_names_from_class = method_names_from_class


if os.path.basename((sys.argv or [""])[0] or "").startswith("moto_server"):
    for fix in (_fix_wafv2_logging_listing, _fix_module_listing_per_request, _fix_method_listing_per_request):
        try:
            fix()
        except Exception as e:  # another moto version: leave it as it is, and say so
            print(f"palisade emulator fix {fix.__name__} not applied: {e}", file=sys.stderr)
