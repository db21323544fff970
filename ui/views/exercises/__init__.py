"""What the exercises page draws: D2L's four exercises and the practice problems; the page script
(app_pages/exercises.py) stays a lesson.
One module per part: ``d2l`` (D2L's four exercises), ``practice`` (endless practice problems), ``common``
(answer checking, verdicts, hints and solutions, which both use).

Every answer is checked in the sandboxed worker (``calc_core.service.check_answer``: parsed there with the
allow-list parser, compared as a function, never eval'd) and described there ("understood as", LaTeX). A
verdict is shown from its plain data: numbers are formatted here, symbols come from fixed tables, messages
from the catalogue; the student's text appears only inside the parser's error display (``ui.errors``).

URL: the practice set lives in ``seed`` (a number box bound to the URL), ``level`` (a segmented control
bound to the URL) and ``rule`` (a selector whose options are translated, so the URL is kept in step by hand
with the rule's id: a bound selector would put the translated label into the address). Answers stay out of
the URL: a shared link gives the class the same problems, not someone's answers.

Each exercise and the practice section is a fragment: typing an answer or asking for a hint reruns that
part alone.
"""
