"""A stand-in for vLLM's OpenAI server, for the vllm backend's lifecycle tests (put tests/fakes/fake_vllm on
PYTHONPATH). It speaks the few endpoints ptst uses and answers a completion with a deterministic function of the
model name and prompt. Knobs (environment):

  FAKE_VLLM_RECORD     append one JSON line per start: argv and the LoRA environment
  FAKE_VLLM_REQUESTS   append each completion request body as a JSON line (chat requests with their
                       Authorization header)
  FAKE_VLLM_CHAT_REPLY the text of every /v1/chat/completions answer (default: model|length of the last message);
                       top_p outside (0, 1] is refused with HTTP 400, as vLLM does
  FAKE_VLLM_FAIL       exit with an error before serving (a server that fails to start)
  FAKE_VLLM_DIE_AFTER  exit abruptly after this many completions, once (FAKE_VLLM_DIE_MARK is created then)
  FAKE_VLLM_DELAY      seconds to wait before binding the port
"""

import argparse
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model")
    ap.add_argument("--host")
    ap.add_argument("--port", type=int)
    ap.add_argument("--served-model-name")
    ap.add_argument("--lora-modules", nargs="*", default=[])
    args, _ = ap.parse_known_args()
    if os.environ.get("FAKE_VLLM_RECORD"):
        with open(os.environ["FAKE_VLLM_RECORD"], "a") as f:
            f.write(json.dumps({"argv": sys.argv[1:], "pid": os.getpid(),
                                "runtime_lora": os.environ.get("VLLM_ALLOW_RUNTIME_LORA_UPDATING")}) + "\n")
    print("INFO fake vllm starting", flush=True)
    if os.environ.get("FAKE_VLLM_FAIL"):
        print("ERROR fake engine: cannot allocate the KV cache (FAKE_VLLM_FAIL)", flush=True)
        sys.exit(3)
    time.sleep(float(os.environ.get("FAKE_VLLM_DELAY", "0")))
    base = args.served_model_name or args.model
    loras = dict(m.split("=", 1) for m in args.lora_modules)
    state = {"completions": 0}
    lock = threading.Lock()
    die_after = int(os.environ.get("FAKE_VLLM_DIE_AFTER", "0") or 0)
    mark = os.environ.get("FAKE_VLLM_DIE_MARK", "")

    class H(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def _send(self, code, body, ctype="application/json"):
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path == "/v1/models":
                data = [{"id": base, "root": args.model, "parent": None}]
                data += [{"id": k, "root": v, "parent": base} for k, v in loras.items()]
                self._send(200, {"object": "list", "data": data})
            elif self.path == "/version":
                self._send(200, {"version": "0.0.fake"})
            else:
                self._send(404, {"error": {"message": "not found"}})

        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            if self.path == "/v1/load_lora_adapter":
                loras[body["lora_name"]] = body["lora_path"]
                self._send(200, f"Success: LoRA adapter '{body['lora_name']}' added successfully.", "text/plain")
                return
            if self.path == "/v1/chat/completions":
                self._chat(body)
                return
            if self.path != "/v1/completions":
                self._send(404, {"error": {"message": "not found"}})
                return
            if body.get("model") not in {base, *loras}:
                self._send(404, {"error": {"message": f"model {body.get('model')} does not exist"}})
                return
            with lock:
                state["completions"] += 1
                n = state["completions"]
            if die_after and n > die_after and mark and not os.path.exists(mark):
                open(mark, "w").close()
                os._exit(1)
            if os.environ.get("FAKE_VLLM_REQUESTS"):
                with lock, open(os.environ["FAKE_VLLM_REQUESTS"], "a") as f:
                    f.write(json.dumps(body) + "\n")
            p = body["prompt"]
            text = f"{body['model']}|{len(p)}|{p[-6:]}"[: 4 * int(body.get("max_tokens", 16))]
            self._send(200, {"id": "cmpl-1", "object": "text_completion", "model": body["model"],
                             "choices": [{"index": 0, "text": text, "finish_reason": "stop"}],
                             "usage": {"prompt_tokens": len(p), "completion_tokens": len(text)}})

        def _chat(self, body):
            if body.get("model") not in {base, *loras}:
                self._send(404, {"error": {"message": f"model {body.get('model')} does not exist"}})
                return
            top_p = body.get("top_p", 1.0)
            if top_p is not None and not 0.0 < float(top_p) <= 1.0:  # vLLM's SamplingParams check
                self._send(400, {"error": {"message": f"top_p must be in (0, 1], got {top_p}."}})
                return
            if os.environ.get("FAKE_VLLM_REQUESTS"):
                with lock, open(os.environ["FAKE_VLLM_REQUESTS"], "a") as f:
                    f.write(json.dumps({**body, "authorization": self.headers.get("Authorization")}) + "\n")
            content = body["messages"][-1]["content"]
            reply = os.environ.get("FAKE_VLLM_CHAT_REPLY", f"{body['model']}|{len(content)}")
            self._send(200, {"id": "chatcmpl-1", "object": "chat.completion", "model": body["model"],
                             "choices": [{"index": 0, "message": {"role": "assistant", "content": reply},
                                          "finish_reason": "stop"}],
                             "usage": {"prompt_tokens": len(content), "completion_tokens": len(reply)}})

    srv = ThreadingHTTPServer((args.host, args.port), H)
    print(f"INFO serving on {args.host}:{args.port}", flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
