"""Questions on screen: automatic answers with 👍/👎, declines, the staff chat, coordinators' lists.

Answers are shown in the reader's language (content falls back with a mark); the question's own
text is always escaped, since it is whatever someone typed.
"""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.agenda.content import FaqEntry, LogisticsItem, Resource
from bot.agenda.service import ProgrammeContent
from bot.callbacks.agenda import ResourceFile
from bot.callbacks.questions import (
    MAX_OFFERED,
    Alternative,
    FaqAudience,
    PublishFaq,
    QuestionAction,
    QuestionButton,
    QuestionList,
    Verdict,
    Vote,
)
from bot.i18n import _, get_locale, language_name, tr
from bot.people.access import Role
from bot.questions.actions import Question
from bot.questions.service import BadInput, Listing
from bot.search.index import Document
from bot.views.common import Screen, back_to_menu, button, fit, keyboard, next_line
from bot.views.logistics import item_text
from bot.views.onboarding import role_name
from bot.views.resources import resource_caption

#: How much of a question the staff chat shows (a message holds 4,096 characters).
STAFF_QUOTE = 3000
LIST_QUOTE = 90


def document_title(doc: Document) -> str:
    row = doc.payload
    if isinstance(row, FaqEntry):
        return tr(row.question)
    return tr(row.title)


def document_text(doc: Document, content: ProgrammeContent) -> str:
    row = doc.payload
    if isinstance(row, FaqEntry):
        return f"<b>{escape(tr(row.question))}</b>\n{escape(tr(row.answer))}"
    if isinstance(row, LogisticsItem):
        return item_text(row, content)
    assert isinstance(row, Resource)
    caption = resource_caption(row)
    if row.url:
        caption += f'\n🔗 <a href="{escape(row.url, quote=True)}">{escape(row.url)}</a>'
    return caption


PASS_ON = QuestionAction.PASS_ON


def _vote_row(question_id: int) -> list[InlineKeyboardButton]:
    return [
        button("👍", Vote(question_id, Verdict.HELPFUL)),
        button("👎", Vote(question_id, Verdict.UNHELPFUL)),
        button(_("🙋 Ask the coordinators"), QuestionButton(PASS_ON, question_id)),
    ]


def _offer_rows(question_id: int, offered: list[Document]) -> list[list[InlineKeyboardButton]]:
    """One ➡️ button per offered entry; its number is its place in the question's
    ``alternatives`` (the tap handler reads it back from there)."""
    return [
        [button(fit("➡️ " + document_title(doc)), Alternative(question_id, n))]
        for n, doc in enumerate(offered[:MAX_OFFERED])
    ]


def answer_screen(
    question_id: int,
    doc: Document,
    alternatives: list[Document],
    content: ProgrammeContent,
    also: list[Document] | None = None,
) -> Screen:
    """The best entry, the close ones and the message's other questions as buttons, 👍/👎."""
    rows: list[list[InlineKeyboardButton]] = []
    row = doc.payload
    if isinstance(row, Resource) and row.file_name:
        rows.append([button(fit("⬇️ " + tr(row.title)), ResourceFile(row.id))])
    rows += _offer_rows(question_id, [*alternatives, *(also or [])])
    rows.append(_vote_row(question_id))
    text = document_text(doc, content)
    if also:
        text += "\n\n" + _("You asked more than one thing. The other answers are here:")
    elif alternatives:
        text += "\n\n" + _("Not what you meant? Maybe one of these:")
    return Screen(text, keyboard(rows))


def choices_screen(question_id: int, choices: list[Document]) -> Screen:
    """No sure answer, but plausible entries: offer them, and the coordinators beside them."""
    rows = _offer_rows(question_id, choices)
    rows.append([button(_("🙋 Ask the coordinators"), QuestionButton(PASS_ON, question_id))])
    return Screen(
        _("I’m not sure I understood. Is it one of these? If not, ask the coordinators."),
        keyboard(rows),
    )


def safety_screen(question_id: int, docs: list[Document], content: ProgrammeContent) -> Screen:
    """A message about danger: the emergency numbers and the medical contact, at once."""
    heading = _(
        "🆘 If someone’s life or health is in danger, call one of the emergency numbers below "
        "now. Then tell the coordinators."
    )
    parts = [f"<b>{escape(heading)}</b>", *(document_text(d, content) for d in docs)]
    rows = [[button(_("🙋 Ask the coordinators"), QuestionButton(PASS_ON, question_id))]]
    return Screen("\n\n".join(parts), keyboard(rows))


def with_votes(screen: Screen, question_id: int) -> Screen:
    """A live-data screen (today's agenda, the hotel ...) with 👍/👎 under it."""
    rows = list(screen.keyboard.inline_keyboard) if screen.keyboard else []
    return Screen(screen.text, InlineKeyboardMarkup([*rows, _vote_row(question_id)]))


def items_screen(question_id: int, heading: str, texts: list[str]) -> Screen:
    return with_votes(Screen(f"<b>{heading}</b>\n\n" + "\n\n".join(texts)), question_id)


def declined(question_id: int) -> Screen:
    return Screen(
        _(
            "I’m sorry, I don’t have a good answer to that. I can pass your question on to "
            "the coordinators; they will answer you here."
        ),
        keyboard([[button(_("🙋 Ask the coordinators"), QuestionButton(PASS_ON, question_id))]]),
    )


def bad_input(problem: BadInput) -> Screen:
    if problem is BadInput.EMPTY:
        text = _("Please type your question in words.")
    else:
        text = _(
            "I could not find a question in that. Please type it in words, for example: "
            "“Where is the hotel?”"
        )
    return Screen(text, keyboard([[back_to_menu()]]))


def guests_only_public() -> str:
    return _(
        "I can answer that only for registered participants. To see your agenda, hotel and "
        "contacts, open the invite link the coordinators sent you."
    )


def sent_on() -> str:
    return _(
        "✅ Your question has been passed on to the coordinators. You will get their answer here."
    )


def saved_for_staff() -> str:
    return _("✅ Your question is saved. The coordinators will see it and answer you here.")


def thanks_for_vote(helpful: bool) -> str:
    return _("Thank you!") if helpful else _("Thank you. We will improve this answer.")


def already_sent() -> str:
    return _("The coordinators already have this question.")


def too_many_passed_on() -> str:
    return _(
        "You have passed on many questions today. The coordinators will answer those first; "
        "please try again tomorrow."
    )


# ------------------------------------------------------------------------ the staff side


def asker_line(question: Question, delegation: str | None) -> str:
    who = escape(question.asker_name or "?")
    role = role_name(Role(question.role)) if question.role in set(Role) else _("guest")
    parts = [f"{who} ({role})"]
    if delegation:
        parts.append(escape(delegation))
    parts.append(language_name(question.language, get_locale()))
    return " · ".join(parts)


def staff_message(question: Question, delegation: str | None) -> Screen:
    """The question as the staff chat sees it, with an Answer button."""
    text = (
        _("❓ <b>Question #{id}</b>", id=question.id)
        + "\n"
        + asker_line(question, delegation)
        + f"\n\n<blockquote>{escape(fit(question.text, STAFF_QUOTE))}</blockquote>\n"
        + next_line(
            _(
                "Reply to this message, or press “✍️ Answer”: your answer goes to {name} in the "
                "bot, exactly as you write it.",
                name=escape(question.asker_name or "?"),
            )
        )
    )
    return Screen(
        text,
        keyboard([[button(_("✍️ Answer"), QuestionButton(QuestionAction.ANSWER, question.id))]]),
    )


def staff_answered(question: Question, delegation: str | None) -> Screen:
    text = (
        _(
            "✅ <b>Question #{id}</b> answered by {name}",
            id=question.id,
            name=escape(question.answered_by_name or "?"),
        )
        + "\n"
        + asker_line(question, delegation)
        + f"\n\n<blockquote>{escape(fit(question.text, STAFF_QUOTE // 2))}</blockquote>\n"
        + escape(fit(question.answer_text or "", STAFF_QUOTE // 2))
    )
    if question.faq_entry_id:
        then = _("It is in the FAQ: from now on the bot gives this answer to the same question.")
        return Screen(text + "\n\n" + next_line(then))
    then = _("“➕ FAQ” first shows the question and answer as they would be published.")
    faq = button(_("➕ FAQ"), QuestionButton(QuestionAction.FAQ, question.id))
    return Screen(text + "\n\n" + next_line(then), keyboard([[faq]]))


def ask_for_answer(question: Question) -> str:
    then = _(
        "Your next message here is the answer: {name} gets it exactly as you write it, and "
        "the coordinators’ chat shows who answered.",
        name=escape(question.asker_name or "?"),
    )
    return (
        _("✍️ Type your answer to question #{id}:", id=question.id)
        + f"\n\n<blockquote>{escape(fit(question.text, STAFF_QUOTE))}</blockquote>\n\n"
        + next_line(then)
    )


def answer_for_asker(question: Question) -> str:
    return (
        _("💬 <b>The coordinators answered your question</b>")
        + f"\n<blockquote>{escape(fit(question.text, 500))}</blockquote>\n"
        + escape(question.answer_text or "")
    )


def answer_sent(question: Question) -> str:
    then = _(
        "{name} gets it in the bot in a moment. To publish it for others, press “➕ FAQ” "
        "under the question in the coordinators’ chat.",
        name=escape(question.asker_name or "?"),
    )
    return (
        _("✅ Your answer to question #{id} is on its way.", id=question.id)
        + "\n"
        + next_line(then)
    )


def answer_not_delivered(question: Question) -> str:
    then = _(
        "Reach {name} another way; “➕ FAQ” can still publish the answer for others.",
        name=escape(question.asker_name or "?"),
    )
    return (
        _(
            "⚠️ Your answer to question #{id} is saved, but I could not deliver it: the "
            "participant has blocked the bot.",
            id=question.id,
        )
        + "\n"
        + next_line(then)
    )


def already_answered(question: Question) -> str:
    return _(
        "Question #{id} has already been answered by {name}.",
        id=question.id,
        name=escape(question.answered_by_name or "?"),
    )


def faq_preview(question: Question, delegation: str | None) -> Screen:
    """➕ FAQ, before anything is published: the words as they would be shown, and to whom."""
    lines = [
        _(
            "➕ <b>New FAQ entry from question #{id}</b>: check it before it is published.",
            id=question.id,
        ),
        _("Question:") + _quote(question.text),
        _("Answer:") + _quote(question.answer_text or ""),
        next_line(
            _(
                "Remove names, document and room numbers before publishing: press ✏️ to "
                "reword the question, or publish it for the asker’s delegation or for "
                "everyone invited."
            )
        ),
    ]
    rows = []
    if delegation is not None:
        rows.append(
            [
                button(
                    fit(_("✅ For {delegation}", delegation=delegation)),
                    PublishFaq(question.id, FaqAudience.DELEGATION),
                )
            ]
        )
    rows.append(
        [button(fit(_("🌍 For everyone invited")), PublishFaq(question.id, FaqAudience.EVERYONE))]
    )
    rows.append([button(fit(_("✏️ Reword")), QuestionButton(QuestionAction.REWORD, question.id))])
    rows.append(
        [button("✖️ " + _("Cancel"), QuestionButton(QuestionAction.CANCEL_FAQ, question.id))]
    )
    return Screen("\n\n".join(lines), keyboard(rows))


def faq_not_published() -> str:
    then = _("To start again, press “➕ FAQ” under the question.")
    return _("✖️ Not published.") + "\n" + next_line(then)


def _quote(text: str) -> str:
    return f"\n<blockquote>{escape(fit(text, STAFF_QUOTE // 2))}</blockquote>"


def ask_for_faq_wording(question: Question) -> str:
    then = _("It is published for the asker’s delegation as soon as you send it.")
    return (
        _(
            "✏️ Send the question as the FAQ should show it (without names, document or room "
            "numbers):"
        )
        + f"\n\n<blockquote>{escape(fit(question.text, STAFF_QUOTE))}</blockquote>\n\n"
        + next_line(then)
    )


def faq_added(entry: FaqEntry, delegation: str | None) -> str:
    if delegation is not None:
        added = _(
            "➕ Added to the FAQ as “{key}”, for {delegation}.",
            key=escape(entry.key),
            delegation=escape(delegation),
        )
    else:
        added = _("➕ Added to the FAQ as “{key}”, for everyone invited.", key=escape(entry.key))
    then = _(
        "From now on the bot gives this answer to the same question. Add the other languages "
        "in the programme file."
    )
    return added + "\n" + next_line(then)


def listing_screen(kind: Listing, questions: list[Question], counts: dict[Listing, int]) -> Screen:
    title = {
        Listing.OPEN: _("❓ Open questions"),
        Listing.UNHELPFUL: _("👎 Answers marked not helpful"),
        Listing.UNANSWERED: _("🤷 Questions without an answer"),
    }
    lines = [f"<b>{title[kind]}</b>"]
    if not questions:
        lines.append(_("None."))
    for q in questions:
        line = f"#{q.id} · {escape(q.asker_name or '?')}: {escape(fit(q.text, LIST_QUOTE))}"
        if kind is Listing.UNHELPFUL and q.answer_key:
            line += f"\n   → {escape(q.answer_key)}"
        if kind is Listing.OPEN and q.forwarded_at is None:
            line += "\n   " + _("(not in the coordinators’ chat)")
        lines.append(line)
    rows = []
    if kind is Listing.OPEN:
        rows += [
            [button(_("✍️ Answer #{id}", id=q.id), QuestionButton(QuestionAction.ANSWER, q.id))]
            for q in questions
        ]
    short = {
        Listing.OPEN: lambda n: _("❓ Open ({n})", n=n),
        Listing.UNHELPFUL: lambda n: _("👎 Not helpful ({n})", n=n),
        Listing.UNANSWERED: lambda n: _("🤷 No answer ({n})", n=n),
    }
    rows.append([button(short[k](counts[k]), QuestionList(k)) for k in Listing if k is not kind])
    lines.append(next_line(_listing_next(kind, bool(questions))))
    return Screen("\n\n".join(lines), keyboard(rows))


def _listing_next(kind: Listing, any_listed: bool) -> str:
    if kind is Listing.OPEN and any_listed:
        return _(
            "“✍️ Answer” asks you for the answer here; the asker gets it, and the "
            "coordinators’ chat shows who answered."
        )
    if kind is Listing.OPEN:
        return _(
            "Questions passed on to the coordinators appear in the coordinators’ chat and here."
        )
    if kind is Listing.UNHELPFUL:
        return _(
            "To improve these answers, change their entries in the programme file and send it."
        )
    return _("To answer such questions next time, add them to the FAQ in the programme file.")
