from typing import Any

from ninja import NinjaAPI

from oversight import __version__
from oversight.api import catalog, compliance, draws, org, planning, pool, problems, subjects
from oversight.api.auth import guard


class OversightAPI(NinjaAPI):
    """The API, whose OpenAPI document says that errors come as problem+json."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        return problems.document_problems(super().get_openapi_schema(**kwargs))


api = OversightAPI(
    title="Oversight API",
    version=__version__,
    description="公安事中事后监督检查管理系统 API. Bearer tokens from `oversight token issue`.",
    auth=guard(),
    parser=problems.StrictJsonParser(),
    urls_namespace="api",
    docs_url="/docs",
)
problems.install(api)
api.add_router("/", org.router)
api.add_router("/catalog", catalog.router)
api.add_router("/", subjects.router)
api.add_router("/", pool.router)
api.add_router("/", planning.router)
api.add_router("/", draws.router)
api.add_router("/", compliance.router)
