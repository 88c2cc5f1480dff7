#!/usr/bin/env python3
"""Validates the skills taxonomy and job-title vocabulary in data/taxonomy/
against the file formats in the taxonomy format contract (skills.tsv,
categories.tsv, titles.tsv, seniority.tsv): column counts, id syntax and
uniqueness, types, levels, categories that exist, no empty names, no seniority
word inside a job title (it is stripped before matching), and that one
surface form (a skill alias or a job title) belongs to one entry only.
Prints counts per type and per category; exits 1 on any error.

usage: check_taxonomy.py [DIR]      (default: data/taxonomy beside this tool)
       check_taxonomy.py -q [DIR]   (errors and the totals line only)

Surface forms are compared the way the matcher sees them: lower-cased (forms
marked `=` keep their case), runs of white space as one space, and again as
the matcher's token sequence (see tokens()), so that "a/p" claimed by one
skill and "a p" by another, or "workers' comp" and "workers comp", is
reported too. A `=` form and a plain form
with the same lower-case spelling on two skills is an error as well: the
plain one would match wherever the exact one does.
"""
import os
import re
import sys
from collections import Counter, defaultdict

SKILL_TYPES = ("hard", "soft", "certification", "language", "tool")
LEVELS = ("intern", "junior", "mid", "senior", "lead", "principal", "manager", "director", "executive")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_+#.-]*$")

errors = []
warnings = []


def err(path, lineno, msg):
    errors.append(f"{os.path.basename(path)}:{lineno}: {msg}")


def warn(path, lineno, msg):
    warnings.append(f"{os.path.basename(path)}:{lineno}: {msg}")


def rows(path, ncols):
    """Yields (lineno, fields) of the data lines of a TSV file with ncols columns."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        err(path, 0, f"cannot read: {e.strerror}")
        return
    if b"\r" in raw:
        err(path, 0, "has CR characters (LF line ends only)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        err(path, 0, f"not UTF-8 ({e})")
        return
    if text and not text.endswith("\n"):
        err(path, 0, "last line has no LF")
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != ncols:
            err(path, n, f"{len(fields)} columns, want {ncols}: {line[:60]!r}")
            continue
        bad = [f for f in fields if f != f.strip() or not f]
        if bad:
            err(path, n, f"empty field or white space around a field: {line[:60]!r}")
            continue
        yield n, fields


def tokens(s):
    """The form's words as the matcher's tokenizer sees them: runs of letters
    and digits, with "." or "&" between two of them kept inside (node.js,
    p&l), a leading "." (.net), up to two trailing "+" (c++) or one "#"
    (c#), and a possessive 's dropped; everything else separates."""
    out, i, n = [], 0, len(s)
    word = lambda c: c.isalnum()
    while i < n:
        if not word(s[i]) and not (s[i] == "." and i + 1 < n and s[i + 1].isalpha()):
            i += 1
            continue
        j = i + 1
        while j < n and (word(s[j]) or (s[j] in ".&" and j + 1 < n and word(s[j + 1]) and word(s[j - 1]))):
            j += 1
        k = j
        while k < n and s[k] == "+" and k - j < 2:
            k += 1
        if k == j and k < n and s[k] == "#" and (k + 1 >= n or not word(s[k + 1])):
            k += 1
        out.append(s[i:k])
        if k + 1 < n and s[k] == "'" and s[k + 1] == "s" and (k + 2 >= n or not word(s[k + 2])):
            k += 2
        i = k
    return " ".join(out)


def keys(form):
    """The keys a surface form is compared on: (exact, text, folded), where
    folded is the matcher's token sequence (lower-case unless exact)."""
    exact = form.startswith("=")
    s = form[1:] if exact else form
    s = " ".join(s.split())
    if not exact:
        s = s.lower()
    folded = tokens(re.sub(r"[_]+", " ", s))
    return exact, s, folded


def split_forms(path, n, col, what):
    """The |-separated forms of a column ('-' for none), checked for empties."""
    if col == "-":
        return []
    forms = col.split("|")
    for f in forms:
        if not f.strip() or f != f.strip() or f == "=":
            err(path, n, f"empty {what} or white space around one in {col[:60]!r}")
    return [f for f in forms if f.strip() and f != "="]


class Claims:
    """One owner per surface form; reports a second owner as an error."""

    def __init__(self, what):
        self.what = what
        self.exact = {}  # case-kept text of = forms -> owner
        self.plain = {}  # lower-case text -> owner
        self.folded = {}  # separators folded, lower-case -> (owner, form)

    def claim(self, path, n, owner, form):
        exact, s, folded = keys(form)
        if not folded:
            err(path, n, f"{self.what} {form!r} of {owner!r} has no letter or digit to match")
            return
        low = s.lower()
        if exact:
            other = self.exact.get(s) or self.plain.get(low)
        else:
            other = self.plain.get(low) or next((o for k, o in self.exact.items() if k.lower() == low), None)
        if other is not None and other != owner:
            err(path, n, f"{self.what} {form!r} of {owner!r} is also claimed by {other!r}")
            return
        if exact:
            self.exact[s] = owner
        else:
            self.plain[low] = owner
            prev = self.folded.get(folded.lower())
            if prev and prev[0] != owner:
                err(path, n, f"{self.what} {form!r} of {owner!r} reads as {prev[1]!r} of {prev[0]!r} "
                    "once tokenized")
                return
            self.folded[folded.lower()] = (owner, form)


def check(d):
    cat_path = os.path.join(d, "categories.tsv")
    categories = {}
    for n, (cid, name) in rows(cat_path, 2):
        if not ID_RE.match(cid):
            err(cat_path, n, f"bad category id {cid!r}")
        if cid in categories:
            err(cat_path, n, f"duplicate category id {cid!r}")
        categories[cid] = name

    skills_path = os.path.join(d, "skills.tsv")
    ids = set()
    by_type = Counter()
    by_cat = Counter()
    alias_count = 0
    claims = Claims("alias")
    used_cats = set()
    for n, (sid, name, typ, cat, aliases) in rows(skills_path, 5):
        if not ID_RE.match(sid):
            err(skills_path, n, f"bad id {sid!r}")
        if sid in ids:
            err(skills_path, n, f"duplicate id {sid!r}")
        ids.add(sid)
        if typ not in SKILL_TYPES:
            err(skills_path, n, f"type {typ!r} is not one of {', '.join(SKILL_TYPES)}")
        if cat not in categories:
            err(skills_path, n, f"category {cat!r} is not in categories.tsv")
        used_cats.add(cat)
        forms = split_forms(skills_path, n, aliases, "alias")
        lowered = [keys(f)[1].lower() for f in forms]
        # The name is a surface form too, unless it is given case-sensitively
        # among the aliases (=Go): then only that exact form stands for it.
        exact_names = [keys(f)[1] for f in forms if f.startswith("=")]
        if name not in exact_names:
            claims.claim(skills_path, n, sid, name)
        seen = set()
        for f, low in zip(forms, lowered):
            k = keys(f)[1]
            if k in seen:
                err(skills_path, n, f"alias {f!r} twice in {sid!r}")
            seen.add(k)
            if not f.startswith("=") and low == name.lower():
                warn(skills_path, n, f"alias {f!r} repeats the name of {sid!r}")
            claims.claim(skills_path, n, sid, f)
        alias_count += len(forms)
        by_type[typ] += 1
        by_cat[cat] += 1

    titles_path = os.path.join(d, "titles.tsv")
    sen_path = os.path.join(d, "seniority.tsv")
    seniority = {}
    for n, (word, level) in rows(sen_path, 2):
        if level not in LEVELS:
            err(sen_path, n, f"level {level!r} is not one of {', '.join(LEVELS)}")
        if word != word.lower():
            err(sen_path, n, f"seniority word {word!r} is not lower-case")
        if word in seniority:
            err(sen_path, n, f"duplicate seniority word {word!r}")
        seniority[word] = level

    tids = set()
    tclaims = Claims("title")
    t_by_cat = Counter()
    synonyms = 0
    for n, (tid, title, cat, syns) in rows(titles_path, 4):
        if not ID_RE.match(tid):
            err(titles_path, n, f"bad occupation id {tid!r}")
        if tid in tids:
            err(titles_path, n, f"duplicate occupation id {tid!r}")
        tids.add(tid)
        if cat not in categories:
            err(titles_path, n, f"category {cat!r} is not in categories.tsv")
        used_cats.add(cat)
        forms = split_forms(titles_path, n, syns, "synonym")
        for f in [title] + forms:
            if f.startswith("="):
                err(titles_path, n, f"title {f!r}: titles are not case-sensitive")
            tclaims.claim(titles_path, n, tid, f)
            words = " " + " ".join(re.sub(r"[,()/-]", " ", f.lower()).split()) + " "
            for w in {" ".join(re.sub(r"[/-]", " ", w).split()) for w in seniority}:
                if f" {w} " in words:
                    err(titles_path, n, f"title {f!r} of {tid!r} holds the seniority word {w!r}, "
                        "which the matcher strips before matching")
        synonyms += len(forms)
        t_by_cat[cat] += 1

    for c in sorted(set(categories) - used_cats):
        warnings.append(f"categories.tsv: category {c!r} is not used")
    return by_type, by_cat, t_by_cat, categories, alias_count, synonyms, len(seniority)


def main(argv):
    quiet = "-q" in argv
    args = [a for a in argv if a != "-q"]
    d = args[0] if args else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "taxonomy")
    by_type, by_cat, t_by_cat, categories, aliases, synonyms, nsen = check(d)
    if not quiet:
        for w in warnings:
            print("warning:", w)
        print("skills by type:")
        for t in SKILL_TYPES:
            print(f"  {t:14} {by_type[t]}")
        print(f"{'category':16} {'skills':>6} {'titles':>6}")
        for c in sorted(categories):
            print(f"  {c:14} {by_cat[c]:6} {t_by_cat[c]:6}")
    for e in errors:
        print("error:", e)
    print(f"{sum(by_type.values())} skills ({aliases} aliases), {sum(t_by_cat.values())} occupations "
          f"({synonyms} synonyms), {nsen} seniority words, {len(categories)} categories: "
          f"{len(errors)} errors, {len(warnings)} warnings")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
