"""The OCR pipeline on real RQ workers, real Redis, real MariaDB and the real Tesseract."""

from __future__ import annotations

import subprocess

import pikepdf
import pytest
from django.db import transaction
from django.utils import timezone

from eoffice import jobs
from eoffice.doctype.file import File, OcrStatus, blob_path
from eoffice.jobs import ocr as ocr_jobs
from tests.conftest import EOFFICE, ROOT, subprocess_env
from tests.ocr import documents
from tests.ocr.conftest import fold, run_worker_burst, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def reload(file) -> File:
    return File.objects.get(pk=file.pk)


def test_an_uploaded_scan_is_read_in_the_background_and_fills_the_clerks_form(
    clean_queues, upload, tmp_path
):
    doc = documents.cong_van_dat_dai()
    stored = upload(documents.save_scan(doc, tmp_path / "cong-van-45.png"))
    assert reload(stored).ocr_status == OcrStatus.PENDING
    assert jobs.get_queue("ocr").count == 1  # queued when the upload committed

    run_worker_burst("ocr")

    done = reload(stored)
    assert done.ocr_status == OcrStatus.DONE and done.ocr_error == ""
    assert done.page_count == 1 and done.ocr_attempts == 1
    assert "hồ sơ đất đai tồn đọng" in done.extracted_text  # NFC, with its diacritics
    fields = done.ocr_fields["fields"]
    assert fields["document_number"] == "45/UBND-VP"
    assert fields["document_date"] == "2017-08-15"
    assert fields["document_type"] == "Công văn"
    assert fields["urgency"] == "Khẩn"
    assert fields["summary"] == doc.summary
    assert "summary" in done.ocr_fields["from_ocr"]
    # The searchable PDF/A, stored by its SHA-256 beside the original, has the text layer.
    assert done.searchable_hash and done.searchable_hash != done.content_hash
    with pikepdf.open(blob_path(done.searchable_hash)) as pdf:
        assert pdf.open_metadata().pdfa_status.startswith("2")
    import pdfplumber

    with pdfplumber.open(blob_path(done.searchable_hash)) as pdf:
        assert "ho so dat dai ton dong" in fold(pdf.pages[0].extract_text())


def test_the_pages_of_a_scanned_batch_are_spread_over_the_workers_and_combined_in_order(
    clean_queues, upload, workers, tmp_path
):
    from rq import Worker
    from rq.job import Job

    pages = [documents.quyet_dinh_cai_cach(), documents.giay_moi_hoa_toc(), documents.bao_cao_xa()]
    queue = jobs.get_queue("ocr")
    workers.start("ocr")
    workers.start("ocr")
    wait_for(lambda: len(Worker.all(queue=queue)) >= 2, timeout=60)

    stored = upload(documents.save_scanned_pdf(pages, tmp_path / "batch.pdf"))
    wait_for(lambda: reload(stored).ocr_status == OcrStatus.DONE, timeout=180)

    text_pages = reload(stored).extracted_text.split("\f")
    assert len(text_pages) == 3
    assert "cai cach hanh chinh nam 2017" in fold(text_pages[0])
    assert "hop giao ban cong tac van thu" in fold(text_pages[1])
    assert "ket qua giai quyet thu tuc hanh chinh" in fold(text_pages[2])
    ids = [ocr_jobs.job_id(stored.name)] + [
        ocr_jobs.job_id(stored.name, f"p{n:04d}") for n in (2, 3)
    ]
    ran_on = {job.worker_name for job in Job.fetch_many(ids, connection=queue.connection)}
    assert len(ran_on) == 2, "the pages did not spread over both workers"
    # The form's fields come from the first page.
    assert reload(stored).ocr_fields["fields"]["document_number"] == "12/2017/QĐ-UBND"


def store_raw(content: bytes, file_name: str, mime: str) -> File:
    """A File whose stored content is damaged (written to the store behind the upload's back)."""
    import hashlib

    sha = hashlib.sha256(content).hexdigest()
    path = blob_path(sha)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    with transaction.atomic():
        file = File.objects.create(
            file_name=file_name,
            content_hash=sha,
            mime_type=mime,
            file_size=len(content),
            owner="a@b.vn",
        )
        ocr_jobs.enqueue_for(file)
    return file


def test_a_corrupt_image_ends_in_error_with_its_reason_after_its_retries(
    clean_queues, settings, tmp_path
):
    from rq.registry import FailedJobRegistry

    settings.OCR_RETRY_INTERVALS = [0, 0]  # two retries, at once
    good = documents.save_scan(documents.quy_dinh(), tmp_path / "ok.png").read_bytes()
    file = store_raw(good[:300] + b"\x00" * 4000, "hong.png", "image/png")

    run_worker_burst("ocr")

    failed = reload(file)
    assert failed.ocr_status == OcrStatus.FAILED
    assert failed.ocr_error == "Ảnh bị hỏng hoặc không đúng định dạng, không đọc được."
    assert failed.ocr_attempts == 3
    assert (
        ocr_jobs.job_id(file.name) in FailedJobRegistry(queue=jobs.get_queue("ocr")).get_job_ids()
    )


def test_a_failure_that_goes_away_is_retried_with_back_off_and_the_file_completes(
    clean_queues, settings, upload, tmp_path
):
    import time

    settings.OCR_RETRY_INTERVALS = [1]
    stored = upload(documents.save_scan(documents.giay_moi_hoa_toc(), tmp_path / "gm.jpg"))
    blob = blob_path(stored.content_hash)
    hidden = blob.with_name(blob.name + ".away")
    blob.rename(hidden)  # the file store is briefly unreachable

    run_worker_burst("ocr")
    failed = reload(stored)
    assert failed.ocr_status == OcrStatus.FAILED
    assert failed.ocr_error.startswith("Không tìm thấy tệp gốc trong kho lưu trữ.")
    assert "sẽ tự thử lại" in failed.ocr_error  # the clerk sees it is not final

    hidden.rename(blob)
    time.sleep(1.5)
    run_worker_burst("ocr")  # the worker's scheduler queues the retry that is due
    done = reload(stored)
    assert done.ocr_status == OcrStatus.DONE and done.ocr_error == ""
    assert done.ocr_attempts == 2
    assert done.ocr_fields["fields"]["secrecy"] == "Mật"


def test_a_worker_killed_mid_job_leaves_the_job_to_another_worker_which_completes_it(
    clean_queues, settings, upload, workers, tmp_path
):
    from rq.registry import StartedJobRegistry

    settings.OCR_RETRY_INTERVALS = [0, 0]
    pages = [documents.bao_cao_xa(), documents.quy_dinh(), documents.cong_van_dat_dai()]
    first = workers.start("ocr")
    stored = upload(documents.save_scanned_pdf(pages, tmp_path / "batch.pdf"))
    wait_for(lambda: reload(stored).ocr_status == OcrStatus.RUNNING, timeout=60, interval=0.05)
    first.kill_hard()

    started = StartedJobRegistry(queue=jobs.get_queue("ocr"))
    assert started.get_job_ids(cleanup=False), "the job had finished before the kill"
    assert reload(stored).ocr_status == OcrStatus.RUNNING

    # What runs in production: another worker, and the scheduler whose periodic sweep hands
    # the dead worker's job to RQ's abandoned-job handling, which retries it.
    workers.start()
    scheduler = subprocess.Popen(
        [EOFFICE, "scheduler"], env=subprocess_env(), cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for(lambda: reload(stored).ocr_status == OcrStatus.DONE, timeout=180)
    finally:
        scheduler.terminate()
        scheduler.wait(timeout=20)
    done = reload(stored)
    assert len(done.extracted_text.split("\f")) == 3
    assert "ho so dat dai ton dong" in fold(done.extracted_text.split("\f")[2])
    assert done.ocr_attempts >= 2


def test_running_the_job_again_gives_the_same_result(clean_queues, upload, tmp_path):
    stored = upload(documents.save_scan(documents.quyet_dinh_cai_cach(), tmp_path / "qd.png"))
    run_worker_burst("ocr")
    first = reload(stored)
    assert first.ocr_status == OcrStatus.DONE

    assert ocr_jobs.run(stored.name) == OcrStatus.DONE  # done already: nothing is redone
    assert reload(stored).ocr_attempts == first.ocr_attempts

    assert ocr_jobs.run(stored.name, force=True) == OcrStatus.DONE  # read again from scratch
    again = reload(stored)
    assert again.extracted_text == first.extracted_text
    assert again.ocr_fields == first.ocr_fields
    assert again.searchable_hash == first.searchable_hash
    assert again.ocr_status == OcrStatus.DONE


def test_a_text_pdf_is_read_without_ocr_and_needs_no_searchable_copy(
    clean_queues, upload, tmp_path
):
    stored = upload(documents.save_text_pdf(documents.giay_moi_hoa_toc(), tmp_path / "gm.pdf"))
    run_worker_burst("ocr")
    done = reload(stored)
    assert done.ocr_status == OcrStatus.DONE
    assert done.searchable_hash == ""  # it is searchable already
    assert done.ocr_fields["fields"]["document_number"] == "318/GM-SNV"
    assert "Họp giao ban công tác văn thư" in done.extracted_text


def test_an_upload_that_rolls_back_queues_no_reading(clean_queues, upload, tmp_path):
    path = documents.save_text_pdf(documents.quy_dinh(), tmp_path / "qd.pdf")
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            upload(path)
            raise RuntimeError("the request failed")
    assert jobs.get_queue("ocr").count == 0


def test_a_file_left_waiting_without_a_job_is_queued_again_by_the_sweep(
    clean_queues, upload, tmp_path
):
    stored = upload(documents.save_text_pdf(documents.quy_dinh(), tmp_path / "qd.pdf"))
    jobs.get_queue("ocr").empty()  # the job was lost (Redis flushed, or down at commit time)
    File.objects.filter(pk=stored.pk).update(modified=timezone.now() - ocr_jobs.STALE_AFTER * 2)

    assert ocr_jobs.sweep()["requeued"] == [stored.name]
    assert ocr_jobs.sweep()["requeued"] == []  # queued once, not twice
    run_worker_burst("ocr")
    assert reload(stored).ocr_status == OcrStatus.DONE
