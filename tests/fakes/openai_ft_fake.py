"""An ``httpx.MockTransport`` that replays the recorded files / fine-tuning exchanges in openai_ft_exchanges.json.

It plays one account: uploads return the recorded file object, creating a job returns the recorded job, and each
``GET /fine_tuning/jobs/{id}`` returns the next recorded poll state (the last one repeats). ``GET
/fine_tuning/jobs`` lists the jobs created so far. Every request is recorded (method, path, headers, body) so
tests can assert exactly what was sent, and how often.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import httpx

EXCHANGES = json.loads((Path(__file__).with_name("openai_ft_exchanges.json")).read_text())


class FakeFineTuningAPI:
    def __init__(self, fail: bool = False, lose_create_reply: bool = False, busy_creates: list | None = None):
        self.requests: list[dict] = []
        self.jobs: dict[str, dict] = {}
        self.poll_index: dict[str, int] = {}
        self.fail = fail
        self.lose_create_reply = lose_create_reply  # the job is created but the reply never arrives (once)
        self.busy_creates = list(busy_creates or [])  # headers of HTTP 429 replies the next creations get
        self.transport = httpx.MockTransport(self.handle)

    def count(self, method: str, path_prefix: str) -> int:
        return sum(1 for r in self.requests if r["method"] == method and r["path"].startswith(path_prefix))

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        self.requests.append({"method": request.method, "path": path, "headers": dict(request.headers),
                              "body": request.content})
        if request.method == "POST" and path == "/v1/files":
            obj = copy.deepcopy(EXCHANGES["upload_file"]["response"]["json"])
            obj["bytes"] = len(request.content)
            return httpx.Response(200, json=obj)
        if request.method == "POST" and path == "/v1/fine_tuning/jobs":
            if self.busy_creates:
                return httpx.Response(429, headers=self.busy_creates.pop(0),
                                      json={"error": {"message": "Rate limit reached", "type": "requests"}})
            body = json.loads(request.content)
            job = copy.deepcopy(EXCHANGES["create_job"]["response"]["json"])
            job.update(model=body["model"], training_file=body["training_file"], seed=body.get("seed"))
            job["hyperparameters"]["n_epochs"] = body["method"]["supervised"]["hyperparameters"]["n_epochs"]
            self.jobs[job["id"]] = job
            self.poll_index[job["id"]] = 0
            if self.lose_create_reply:
                self.lose_create_reply = False
                raise httpx.ReadTimeout("reply lost", request=request)
            return httpx.Response(200, json=job)
        if request.method == "GET" and path == "/v1/fine_tuning/jobs":
            listing = copy.deepcopy(EXCHANGES["list_jobs"]["response"]["json"])
            listing["data"] = list(self.jobs.values())
            return httpx.Response(200, json=listing)
        if request.method == "GET" and path.startswith("/v1/fine_tuning/jobs/"):
            job_id = path.rsplit("/", 1)[1]
            if job_id not in self.jobs:
                return httpx.Response(404, json={"error": {"message": f"No such fine-tuning job: {job_id}",
                                                           "type": "invalid_request_error", "code": None}})
            polls = EXCHANGES["poll_job"]
            i = min(self.poll_index[job_id], len(polls) - 1)
            self.poll_index[job_id] += 1
            patch = polls[i]["response"]["json"]["patch"]
            if self.fail and patch["status"] == "succeeded":
                patch = EXCHANGES["failed_job_patch"]
            self.jobs[job_id].update(copy.deepcopy(patch))
            return httpx.Response(200, json=self.jobs[job_id])
        return httpx.Response(404, json={"error": {"message": f"unexpected {request.method} {path}"}})
