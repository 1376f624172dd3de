"""The Inbox's reading pane says why a mention got its sentiment, and the owner can correct it:
the correction is kept and the chart counts it."""

from __future__ import annotations

from datetime import timedelta

from app.business.model import BusinessProfile
from app.mentions.model import NewMention
from app.mentions.sentiment import score_pending
from app.onboarding import start_empty
from tests.conftest import FIXED_NOW
from ui.models.mentions import COLUMNS


def fill(store) -> None:
    store.business.save(BusinessProfile(name="Happy Fit Gym"))
    start_empty(store)
    store.mentions.add_many(
        [
            NewMention(
                source="x",
                text="@HappyFit the showers were cold and the staff were rude",
                posted_at=FIXED_NOW - timedelta(hours=2),
            ),
            NewMention(
                source="x",
                text="Happy Fit, lovely class this morning, will be back",
                posted_at=FIXED_NOW - timedelta(hours=1),
            ),
            NewMention(
                source="x",
                text="El gimnasio estaba sucio y el personal fue muy grosero",
                posted_at=FIXED_NOW - timedelta(minutes=30),
            ),
        ]
    )
    score_pending(store, workers=1)


def test_why_and_correcting_a_label(qtbot, make_window):
    window = make_window(prepare=fill)
    window.go_to("inbox")  # (a Ctrl+4 click would leave Ctrl held for the row clicks below)
    page = window.pages["inbox"]
    store = window.store
    rows = {page.model.mention_at(r).text: r for r in range(page.model.rowCount())}

    page.table.selectRow(rows["@HappyFit the showers were cold and the staff were rude"])
    assert page.reading.why.text().startswith("Why negative:")
    assert "rude" in page.reading.why.text() and "Happy" not in page.reading.why.text()

    spanish = "El gimnasio estaba sucio y el personal fue muy grosero"
    page.table.selectRow(rows[spanish])
    assert "Not scored" in page.reading.why.text() and "Spanish" in page.reading.why.text()
    assert "not scored (language)" in page.model.data(
        page.model.index(rows[spanish], COLUMNS.index("Sentiment"))
    )

    praise = "Happy Fit, lovely class this morning, will be back"
    page.table.selectRow(rows[praise])
    mention = page.reading.mention
    assert mention.sentiment == "positive"
    hour = mention.posted_at.strftime("%Y-%m-%dT%H")
    before = {h: neg for h, _, neg in store.mentions.hourly_counts()}
    box = page.reading.correct_box
    box.setCurrentIndex(box.findData("negative"))
    box.activated.emit(box.currentIndex())
    assert store.mentions.get(mention.id).sentiment == "negative"
    assert page.reading.why.text().startswith("You set this label")
    after = {h: neg for h, _, neg in store.mentions.hourly_counts()}
    assert after[hour] == before.get(hour, 0) + 1
    score_pending(store)
    assert store.mentions.get(mention.id).sentiment == "negative"
