"""GitHub repositories: the REST API ``/repos/{owner}/{repo}`` (name, description, stars)."""

from __future__ import annotations

import re
from urllib.parse import quote

from ..config import Config
from ..net.http import Http
from .base import Metadata, Resolver, Target, array, clean, fetch_json, iso_date, mapping, single

_REPO = re.compile(r"^/([A-Za-z0-9-]+)/([A-Za-z0-9._-]+?)(?:\.git)?(?:/.*)?$")
_NOT_OWNERS = {
    "orgs",
    "sponsors",
    "features",
    "about",
    "pricing",
    "enterprise",
    "marketplace",
    "topics",
    "collections",
    "settings",
    "login",
    "join",
    "explore",
    "trending",
}


def repository(target: Target) -> tuple[str, str] | None:
    """(owner, repo) of a github.com URL that names a repository."""
    if target.host != "github.com":
        return None
    match = _REPO.match(target.path)
    if not match or match[1].lower() in _NOT_OWNERS:
        return None
    return match[1], match[2]


def metadata(data: dict) -> Metadata:
    """Our metadata from a repository object."""
    license_info = mapping(data.get("license"))
    owner = mapping(data.get("owner"))
    topics = array(data.get("topics"))
    return Metadata(
        origin="github",
        title=clean(data.get("full_name")) or clean(data.get("name")),
        published=iso_date(data.get("created_at")),
        abstract=clean(data.get("description")),
        venue="GitHub",
        url=clean(data.get("html_url")),
        kind="code",
        subjects=[("github", t) for t in topics if clean(t)],
        extra={
            "stars": data.get("stargazers_count"),
            "forks": data.get("forks_count"),
            "owner": clean(owner.get("login")),
            "language": clean(data.get("language")),
            "license": clean(license_info.get("spdx_id")),
            "homepage": clean(data.get("homepage")),
            "archived": data.get("archived"),
        },
    )


def fetch_one(http: Http, config: Config, target: Target) -> Metadata:
    """Look up one repository (with ``GITHUB_TOKEN`` when it is set)."""
    owner, repo = repository(target) or ("", "")
    headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
    if config.github_token:
        headers["Authorization"] = f"Bearer {config.github_token}"
    url = f"{config.github_url}/repos/{quote(owner)}/{quote(repo)}"
    return metadata(fetch_json(http, url, "GitHub", headers=headers))


RESOLVER = Resolver(
    name="github", accepts=lambda t: repository(t) is not None, fetch=single(fetch_one)
)
