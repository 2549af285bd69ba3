"""What every Python test of odbcpool's prints and counts: one line a check,
"ok: ..." or "FAIL: ..." with what was seen; the script exits non-zero when
`failures` is not zero. Imported with tests/support on sys.path."""

import sys


class Checks:
    def __init__(self, enforce=True):
        self.failures = 0
        # False for a run that only measures: a failed check is reported as
        # "differs" and not counted.
        self.enforce = enforce

    def check(self, condition, what, detail=""):
        if condition or not self.enforce:
            print(f"{'ok' if condition else 'differs'}: {what}" + (f"  [{detail}]" if detail else ""))
        else:
            self.failures += 1
            print(f"FAIL: {what}" + (f"\n      {detail}" if detail else ""))
        sys.stdout.flush()
        return condition

    def equal(self, observed, expected, what):
        return self.check(observed == expected, what, f"observed {observed!r}, expected {expected!r}")

    def note(self, what):
        print(f"note: {what}", flush=True)

    def exit(self):
        print(f"{self.failures} check(s) failed" if self.failures else "all checks passed")
        sys.exit(1 if self.failures else 0)


def scalar(cnxn, sql):
    """The first column of the first row, or None."""
    row = cnxn.execute(sql).fetchone()
    return row[0] if row is not None else None
