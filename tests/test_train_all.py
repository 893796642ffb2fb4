import json
import os
import signal
import subprocess
import sys
import time

import pytest
import torch

import registry
from zoo import train_all
from zoo.model import parameter_count
from zoo.system.paths import checkout_root
from zoo.training.config import TrainConfig
from zoo.training.workers import ALONE_FROM, cores, plan
from zoo.variants import get_variant

ROOT = checkout_root()  # the tests and benchmarks run from a checkout


def statuses(out: str) -> dict[tuple[str, int], str]:
    """{(variant, d): status} from the summary table train_all prints."""
    rows = {}
    for line in out.splitlines()[2:]:
        fields = line.split()
        if len(fields) >= 9 and fields[1].isdigit():
            rows[fields[0], int(fields[1])] = " ".join(fields[8:])
    return rows


def _run(capsys, *argv):
    assert train_all.main([*argv, "--no-progress"]) == 0
    return statuses(capsys.readouterr().out)


def test_skips_what_is_trained_and_retrains_on_force_or_new_recipe(tmp_path, capsys, mnist_test):
    args = ["--weights-dir", str(tmp_path), "--variants", "plain", "--d", "8", "--epochs", "1"]
    assert _run(capsys, *args) == {("plain", 8): "trained"}
    first = json.loads((tmp_path / "plain-d8.json").read_text())
    assert first["command"] == "python train_all.py " + " ".join(args + ["--no-progress"])
    assert first["metrics"]["test_mse"] < 0.1 and first["history"][0]["epoch"] == 1

    assert _run(capsys, *args) == {("plain", 8): "already trained"}
    assert json.loads((tmp_path / "plain-d8.json").read_text())["created"] == first["created"]

    assert _run(capsys, *args, "--force") == {("plain", 8): "trained"}
    # a different recipe (2 epochs) is not the trained one
    assert _run(capsys, *args[:-1], "2") == {("plain", 8): "trained"}
    assert registry.card("plain", 8, weights_dir=tmp_path)["epochs"] == 2


def test_precision_is_asked_for_and_written_on_the_card(tmp_path, capsys, mnist_test):
    args = ["--weights-dir", str(tmp_path), "--variants", "plain", "--d", "8", "--epochs", "1"]
    assert _run(capsys, *args, "--precision", "float32") == {("plain", 8): "trained"}
    card = registry.card("plain", 8, weights_dir=tmp_path)
    assert card["precision"] == "float32" and card["train_config"]["precision"] == "float32"
    # "auto" is another recipe (it may resolve to float32 too, but says it did so on this machine)
    assert _run(capsys, *args) == {("plain", 8): "trained"}
    assert registry.card("plain", 8, weights_dir=tmp_path)["train_config"]["precision"] == "auto"


def test_a_paper_sized_model_trains_alone_with_every_core_then_the_rest_side_by_side():
    config = TrainConfig(epochs=1)
    deep, small = (get_variant("deep"), 30, config), [(get_variant(n), d, config) for n in ("plain", "sparse") for d in (16, 32)]
    assert parameter_count(deep[0].model_config(30)) >= ALONE_FROM > max(parameter_count(v.model_config(d)) for v, d, _ in small)
    schedule = train_all.phases([*small, deep], torch.device("cpu"))
    assert schedule == [([deep], 1, cores()), (small, *plan(4))]
    assert train_all.phases(small, torch.device("cpu"), jobs=1) == [(small, 1, cores())]
    assert train_all.describe(schedule).startswith(f"deep d=30 alone with {cores()} thread(s), then 4 models")


def test_bad_arguments_are_one_line_errors(capsys):
    for argv, message in [(["--d", "0"], "--d takes positive integers"),
                          (["--variants", "vae"], "unknown variant(s) vae; registered: deep, denoising, plain, sparse"),
                          (["--epochs", "-1"], "--epochs must be positive"),
                          (["--precision", "float16"], "argument --precision: invalid choice: 'float16'")]:
        with pytest.raises(SystemExit) as info:
            train_all.main(argv)
        assert info.value.code == 2 and message in capsys.readouterr().err


@pytest.mark.slow
def test_a_killed_run_resumes_without_half_written_files(tmp_path, mnist_test):
    cmd = [sys.executable, "train_all.py", "--weights-dir", str(tmp_path), "--variants", "plain", "sparse",
           "--d", "8", "--epochs", "3", "--no-progress"]
    # Its own process group, killed whole below, as a closed terminal or Ctrl-C kills the run and its workers.
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while not (tmp_path / "plain-d8.json").exists():  # kill it once the first model is written
        assert proc.poll() is None and time.monotonic() < deadline, proc.stdout.read() if proc.poll() is not None else "timeout"
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    # Killed once the first model was written; the second trains beside it in the other worker and
    # may have been written in the same moment (seen once in a fresh clone): whatever is listed is whole.
    written = registry.available(tmp_path)
    assert ("plain", 8) in written and set(written) <= {("plain", 8), ("sparse", 8)}

    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert statuses(out) == {key: "already trained" if key in written else "trained"
                             for key in [("plain", 8), ("sparse", 8)]}
    assert registry.available(tmp_path) == [("plain", 8), ("sparse", 8)]
    registry.get("sparse", d=8, weights_dir=tmp_path)


def test_models_trained_side_by_side_are_those_trained_one_by_one(tmp_path, capsys):
    args = ["--variants", "plain", "sparse", "--d", "4", "--epochs", "1", "--no-progress"]
    workers, threads = plan(2, "cpu", 2)
    saved = torch.get_num_threads()
    torch.set_num_threads(threads)  # the workers' thread count: matrix products round by how they are split
    try:
        assert train_all.main([*args, "--jobs", "1", "--weights-dir", str(tmp_path / "one")]) == 0
    finally:
        torch.set_num_threads(saved)
    assert train_all.main([*args, "--jobs", "2", "--weights-dir", str(tmp_path / "two")]) == 0
    assert "2 at a time" in capsys.readouterr().err or workers == 1
    for name in ("plain", "sparse"):
        one, two = (json.loads((tmp_path / run / f"{name}-d4.json").read_text()) for run in ("one", "two"))
        assert one["metrics"] == two["metrics"] and one["recipe_id"] == two["recipe_id"]
        assert one["threads"] == two["threads"] == threads


def _card(weights_dir, name, d, seconds, epochs):
    params = parameter_count(get_variant(name).model_config(d))
    (weights_dir / f"{name}-d{d}.json").write_text(json.dumps(
        {"variant": name, "latent_dim": d, "model_config": {}, "weights_sha256": "0", "training_seconds": seconds,
         "epochs": epochs, "parameter_count": params}))
    return params


def test_estimated_seconds_pool_each_variants_cards_and_fall_back_to_the_others(tmp_path):
    config = TrainConfig(epochs=10)
    jobs = [(get_variant(n), d, config) for n, d in (("plain", 16), ("plain", 64), ("sparse", 16), ("denoising", 16))]
    p16 = _card(tmp_path, "plain", 16, 20.0, 10)  # 2 s an epoch
    p64 = _card(tmp_path, "plain", 64, 60.0, 20)  # 3 s an epoch
    s16 = _card(tmp_path, "sparse", 16, 40.0, 10)
    (tmp_path / "denoising-d16.json").write_text("{not json")  # unreadable: as if absent
    plain_rate = (2.0 / p16 + 3.0 / p64) / 2  # seconds per parameter-epoch, pooled over d
    every_rate = (2.0 / p16 + 3.0 / p64 + 4.0 / s16) / 3
    estimated = train_all.estimated_seconds(jobs, [tmp_path / "absent", tmp_path])
    assert estimated == pytest.approx([10 * p16 * plain_rate, 10 * p64 * plain_rate, 40.0,
                                       10 * parameter_count(get_variant("denoising").model_config(16)) * every_rate])
    # No card anywhere: parameters x epochs, so that bigger and longer trainings still go first.
    bare = train_all.estimated_seconds(jobs, [tmp_path / "absent"])
    assert bare == [10 * parameter_count(v.model_config(d)) for v, d, _ in jobs]


def test_workers_neither_import_torchvision_nor_need_it_for_data_and_cards():
    # Importing torchvision costs each training worker ~1.7 s; it is needed only to download MNIST.
    probe = ("import sys, zoo.train_all, zoo.store.recipe; from zoo.data import load_mnist; load_mnist('test'); "
             "v = zoo.store.recipe.versions(); print('torchvision' in sys.modules, bool(v['torchvision']))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "True"]
