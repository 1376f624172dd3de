"""Every adapter by kind, so the command line, the pull loop and the Sources page agree."""

from app.sources.base import Adapter
from app.sources.bluesky import BlueskyAdapter
from app.sources.hackernews import HackerNewsAdapter
from app.sources.json_api import JsonAdapter
from app.sources.mastodon import MastodonAdapter
from app.sources.reddit import RedditAdapter
from app.sources.rss import RssAdapter

ADAPTERS: dict[str, Adapter] = {
    adapter.kind: adapter
    for adapter in (
        RssAdapter(),
        MastodonAdapter(),
        BlueskyAdapter(),
        RedditAdapter(),
        HackerNewsAdapter(),
        JsonAdapter(),
    )
}
