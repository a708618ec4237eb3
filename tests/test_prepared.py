"""The facts of a mention's link: what its URL gives, and what its own text names."""

from linkgraph.prepared import link_facts


def test_links_to_one_url_keep_the_titles_their_own_texts_give():
    url = "https://arxiv.org/abs/1706.03762v5"
    named = link_facts(url, "Attention Is All You Need")
    vague = link_facts(url, "the paper")
    again = link_facts(url, "the Transformer paper (Vaswani et al.)")
    assert named is not None and vague is not None and again is not None
    assert (named.title, vague.title) == ("Attention Is All You Need", None)
    assert again.title == "the Transformer paper (Vaswani et al.)"
    assert named._replace(title=None) == vague == again._replace(title=None)
    assert (named.scheme, named.value, named.kind) == ("arxiv", "1706.03762", "paper")


def test_a_link_that_is_no_web_address_has_no_facts():
    assert link_facts("mailto:host@example.org", "Write to us") is None
