from ninja import NinjaAPI

from oversight import __version__
from oversight.api import catalog, org, problems
from oversight.api.auth import BearerToken

api = NinjaAPI(
    title="Oversight API",
    version=__version__,
    description="公安事中事后监督检查管理系统 API. Bearer tokens from `oversight token issue`.",
    auth=BearerToken(),
    urls_namespace="api",
    docs_url="/docs",
)
problems.install(api)
api.add_router("/", org.router)
api.add_router("/catalog", catalog.router)
