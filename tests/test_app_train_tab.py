"""The Train tab as a person and a program use it: the real server, real Chromium, the streaming /train API."""

import json
import re

import gradio as gr
import pytest
from browsing import open_demo

import registry
from zoo.analysis import live
from zoo.app import train_tab
from zoo.variants import get_variant

pytestmark = pytest.mark.slow


def test_the_form_has_every_variants_fields_and_takes_only_the_chosen_variants_own():
    form = train_tab.TrainForm.for_registered_variants()
    assert form.default_variant == "sparse" and set(form.variants) >= {"plain", "denoising", "sparse", "deep"}
    assert set(form.fields) == {f for v in form.variants for f in live.hyperparameters(v)}
    values = [form.fields[f] + 1 for f in form.fields]
    assert form.chosen("plain", values) == {}
    assert form.chosen("sparse", values) == {f: form.fields[f] + 1 for f in live.hyperparameters("sparse")}
    assert form.chosen("no such variant", values) == {}
    names = list(train_tab.api_signature(form).parameters)
    assert names[:5] == ["request", "variant", "d", "epochs", "learning_rate"] and names[5:] == list(form.fields)


def test_a_variants_form_shows_its_own_fields_with_its_recipes_values():
    form = train_tab.TrainForm.for_registered_variants()
    epochs, rate, *fields = train_tab.form_for(form, "denoising")
    assert epochs.value == min(get_variant("denoising").default_train_config.epochs, live.LIMITS.max_epochs)
    assert rate.value == get_variant("denoising").default_train_config.learning_rate
    own = live.hyperparameters("denoising")
    assert [f.visible for f in fields] == [name in own for name in form.fields]
    assert [f.value for f, name in zip(fields, form.fields) if name in own] == list(own.values())


def test_stop_and_keep_refuse_in_one_line_when_there_is_nothing_or_it_is_someone_elses(small):
    trainings = train_tab.Trainings()
    assert train_tab.stop_training(trainings, None) == "Nothing is training."
    with pytest.raises(gr.Error, match="Train a model first"):
        train_tab.keep_training(trainings, None, [], None)
    variant, d, config = live.settings("plain", 8, 1, 0.01, {})
    trainings.job = live.LiveTraining(variant, d, config, small[0], small[2], owner="alice")  # not started: not done
    someone_else = gr.Request(session_hash="bob")
    with pytest.raises(gr.Error, match="only they can stop it"):
        train_tab.stop_training(trainings, someone_else)
    with pytest.raises(gr.Error, match="someone else's training"):
        train_tab.keep_training(trainings, None, [], someone_else)
    assert train_tab.stop_training(trainings, gr.Request(session_hash="alice")).startswith("Stopping")
    assert trainings.job.stopped_by is live.StopReason.PERSON
    with pytest.raises(gr.Error, match="Still training: stop it or wait"):  # its thread never ran: not done
        train_tab.keep_training(trainings, None, [], gr.Request(session_hash="alice"))



def test_the_api_streams_every_epoch_and_refuses_bad_settings(server):
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    client = Client(server, verbose=False)
    job = client.submit(variant="sparse", d=4, epochs=2, learning_rate=0.01, l1_warmup_epochs=1.0, api_name="/train")
    statuses = [outputs[0] for outputs in job]
    epochs = [int(m.group(1)) for s in statuses for m in [re.search(r"epoch (\d+) of 2", s)] if m]
    assert epochs[:2] == [1, 2]  # a live update per epoch, as it ends
    assert "exactly zero" in statuses[-1] and "Training finished** after 2 epoch(s)" in statuses[-1]
    refused = {"d": dict(d=0), "epochs": dict(epochs=500), "learning rate": dict(learning_rate=-1.0),
               "variant": dict(variant="vae"), "hyperparameter": dict(l1_weight=-1.0)}
    for case, change in refused.items():
        settings = {**dict(variant="sparse", d=4, epochs=2, learning_rate=0.01), **change}
        with pytest.raises(AppError) as info:
            client.predict(**settings, api_name="/train")
        assert "Traceback" not in str(info.value) and len(str(info.value).splitlines()) == 1, case


def test_train_watch_keep_and_compare_in_chromium(server, chromium, user_zoo, tmp_path):
    """A person trains plain d=8 for 2 epochs, sees the curve and the units, keeps it, and finds it running in the
    Zoo tab's page beside the shipped models, and in a page opened afterwards; its card is in the user zoo."""
    from playwright.sync_api import sync_playwright

    plain, sparse = (get_variant(name).default_train_config.epochs for name in ("plain", "sparse"))
    assert plain != sparse  # so the field must change with the variant
    with sync_playwright() as p:
        browser = chromium(p)
        page = open_demo(browser, server)
        page.get_by_role("tab", name="Train").click()
        page.locator("#train-variant input").click()
        page.get_by_role("option", name="plain", exact=True).click()
        page.wait_for_function(f"document.querySelector('#train-epochs input').value === '{plain}'", timeout=10000)
        hidden = page.locator("#train-l1_weight").is_visible()  # a sparse field, hidden for plain
        page.locator("#train-variant input").click()
        page.get_by_role("option", name="sparse", exact=True).click()
        page.wait_for_function(f"document.querySelector('#train-epochs input').value === '{sparse}'", timeout=10000)
        explained = page.locator("#train-l1_warmup_epochs").inner_text()
        page.locator("#train-variant input").click()
        page.get_by_role("option", name="plain", exact=True).click()
        page.wait_for_function(f"document.querySelector('#train-epochs input').value === '{plain}'", timeout=10000)
        page.locator("#train-d input").fill("8")
        page.locator("#train-epochs input").fill("2")
        page.locator("#train-start").click()
        page.wait_for_function("document.querySelector('#train-status').innerText.includes('Training finished')",
                               timeout=180000)
        status = page.locator("#train-status").inner_text()
        curve = page.locator("#train-curves img").get_attribute("src")
        units = page.locator("#train-units img").count()
        page.screenshot(path=str(tmp_path / "train.png"), full_page=True)
        page.locator("#train-keep").click()
        page.wait_for_function("document.querySelector('#train-kept').innerText.includes('Kept')", timeout=60000)
        kept = page.locator("#train-kept").inner_text()
        page.get_by_role("tab", name="Zoo").click()
        page.locator("#random-digit").click()
        yours = "[...document.querySelectorAll('#reconstructions figcaption')].find(c => c.innerText.startsWith('plain (yours) d=8 · MSE'))"
        page.wait_for_function(yours, timeout=30000)
        caption, engine = page.evaluate(f"{yours}.innerText"), page.locator("#engine").inner_text()
        captions = page.locator("#reconstructions figcaption").all_inner_texts()
        errors = page.errors
        later = open_demo(browser, server)  # a page opened after the model was kept runs it too
        later.locator("#random-digit").click()
        later.wait_for_function(yours, timeout=30000)
        errors += later.errors
        browser.close()
    assert not hidden and "ramps" in explained  # the field says what it means
    assert "plain d=8: epoch 2 of 2" in status and curve.startswith("data:image/png;base64,")
    assert units == 8 and "Kept plain (yours) d=8" in kept
    shipped_and_kept = len(registry.available()) + 1
    assert not caption.endswith("(on the server)")
    assert engine.startswith(f"Every model runs in this page: {shipped_and_kept} loaded")
    assert "plain d=16 · MSE" in " ".join(captions)  # side by side with the shipped models
    assert errors == []
    card = json.loads((user_zoo / "plain-d8.json").read_text())
    assert card["user_trained"] and card["epochs"] == 2 and card["latent_dim"] == 8
    print(f"screenshot: {tmp_path / 'train.png'}")


def test_one_training_at_a_time_the_second_waits_in_the_queue(server):
    """Two people press Train: the second training starts only after the first has ended.

    The order is read from when each job's updates arrived (a thread follows each), not from a client's
    status, which lags the server (on a busy machine it read IN_QUEUE just after the first had ended).
    """
    import threading
    import time

    from gradio_client import Client
    from gradio_client.utils import Status

    arrivals = {}

    def follow(name, job):
        arrivals[name] = [(time.monotonic(), outputs[0]) for outputs in job]

    first, second = (Client(server, verbose=False) for _ in range(2))
    running = first.submit(variant="plain", d=4, epochs=2, learning_rate=0.01, api_name="/train")
    while not running.outputs():  # the first training has started
        time.sleep(0.1)
    waiting = second.submit(variant="plain", d=4, epochs=1, learning_rate=0.01, api_name="/train")
    followers = [threading.Thread(target=follow, args=pair) for pair in (("first", running), ("second", waiting))]
    for thread in followers:
        thread.start()
    seen = set()
    while not waiting.done():
        seen.add(waiting.status().code)
        time.sleep(0.05)
    for thread in followers:
        thread.join(timeout=120)
    assert Status.IN_QUEUE in seen
    finished = [t for t, status in arrivals["first"] if "Training finished" in status]
    epochs = [t for t, status in arrivals["second"] if re.search(r"epoch \d+ of 1", status)]
    assert finished and epochs and finished[0] < epochs[0]  # its first epoch came after the first's end
    assert "Training finished" in arrivals["second"][-1][1]
