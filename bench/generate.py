"""A seeded generator of realistic multilingual entries, written as import files.

    .venv/bin/python -m bench.generate --size 10000 --out bench/out/data-10000

The same seed and size always give the same entries, so two runs (and the
FTS5 baseline) measure the same corpus. Entries follow contract section 1;
text is built from bench/vocabulary.py (real practice vocabulary in en, fr,
es, pt), about 150-350 words each. Files hold FILE_SIZE entries each, as JSON
lists (with one YAML file in ten), the way a bulk export would arrive.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from pathlib import Path

import yaml

from bench.vocabulary import CITIES, GROUPS, ORGS, SENTENCES, TAGS, TITLES, TOPICS, TREND_OPENINGS

FILE_SIZE = 1000
LANG_WEIGHTS = {"en": 0.4, "es": 0.25, "fr": 0.2, "pt": 0.15}
THEMES = list(TOPICS)
THEME_WEIGHTS = [1.0 / (rank + 1) ** 0.6 for rank in range(len(THEMES))]  # a few themes dominate


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _fill(
    template: str, rng: random.Random, lang: str, topics: list[str], city: str, org: str, year: int
) -> str:
    return template.format(
        topic=topics[0],
        topic2=rng.choice(topics),
        Topic=_cap(topics[0]),
        city=city,
        org=org,
        group=rng.choice(GROUPS[lang]),
        year=year,
        n=rng.choice((12, 25, 40, 300, 1200, 5000)),
        pct=rng.randint(5, 60),
    )


def make_entry(rng: random.Random, number: int) -> dict:
    """One entry: a practice (4 in 5) or a trend, in the language of its city."""
    lang = rng.choices(list(LANG_WEIGHTS), weights=list(LANG_WEIGHTS.values()))[0]
    city, country, region, _ = rng.choice([c for c in CITIES if c[3] == lang])
    themes = list(dict.fromkeys(rng.choices(THEMES, weights=THEME_WEIGHTS, k=rng.randint(1, 3))))
    topics = [rng.choice(TOPICS[t][lang]) for t in themes]
    topics += [rng.choice(TOPICS[rng.choice(THEMES)][lang])]  # a neighbouring subject
    year = rng.randint(2005, 2025)
    org = rng.choice(ORGS[lang]).format(city=city)
    kind = "trend" if rng.random() < 0.2 else "practice"
    fill = lambda template: _fill(template, rng, lang, topics, city, org, year)  # noqa: E731
    sentences = SENTENCES[lang]
    title = fill(rng.choice(TITLES[lang]))
    summary = " ".join(fill(s) for s in [sentences[0], *rng.sample(sentences[1:], 1)])
    body_parts = [fill(s) for s in rng.sample(sentences, rng.randint(9, 17))]
    if kind == "trend":
        body_parts.insert(0, fill(TREND_OPENINGS[lang]))
    paragraphs = [" ".join(body_parts[i : i + 4]) for i in range(0, len(body_parts), 4)]
    entry = {
        "id": f"bench-{number:07d}-{city.lower().replace(' ', '-')[:20]}",
        "type": kind,
        "title": title,
        "summary": summary,
        "body": "\n\n".join(paragraphs),
        "lang": lang,
        "city": city,
        "country": country,
        "region": region,
        "themes": themes,
        "tags": rng.sample(TAGS, rng.randint(0, 3)),
        "organisation": org,
        "url": f"https://example.org/{lang}/practices/{number}",
        "published": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "status": "draft" if rng.random() < 0.02 else "published",
    }
    entry["id"] = _ascii_id(entry["id"])
    return entry


def _ascii_id(text: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch if ch.isalnum() or ch == "-" else "-" for ch in plain.lower())


def entries(size: int, seed: int = 7) -> Iterator[dict]:
    rng = random.Random(seed)
    for number in range(size):
        yield make_entry(rng, number)


def write(size: int, out: Path, seed: int = 7) -> list[Path]:
    """Write `size` entries into `out` as import files; returns the files (reused when present)."""
    out.mkdir(parents=True, exist_ok=True)
    done = out / f".complete-{size}-{seed}"
    if done.exists():
        return sorted(p for p in out.iterdir() if p.suffix in (".json", ".yaml"))
    for old in out.glob("entries-*"):
        old.unlink()
    files = []
    batch: list[dict] = []
    for entry in entries(size, seed):
        batch.append(entry)
        if len(batch) == FILE_SIZE:
            files.append(_write_batch(out, len(files), batch))
            batch = []
    if batch:
        files.append(_write_batch(out, len(files), batch))
    done.write_text("ok")
    return files


def _write_batch(out: Path, index: int, batch: list[dict]) -> Path:
    if index % 10 == 9:
        path = out / f"entries-{index:04d}.yaml"
        path.write_text(yaml.safe_dump(batch, allow_unicode=True, sort_keys=False), "utf-8")
    else:
        path = out / f"entries-{index:04d}.json"
        path.write_text(json.dumps(batch, ensure_ascii=False), "utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    out = args.out or Path("bench/out") / f"data-{args.size}"
    files = write(args.size, out, args.seed)
    print(f"{args.size} entries in {len(files)} files under {out}")


if __name__ == "__main__":
    main()
