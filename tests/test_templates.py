"""Every template of the paper against the reference strings, byte for byte, in all three renderings."""

from __future__ import annotations

import json

import pytest

from ptst.errors import PtstError
from ptst.templates import get_template, list_templates, load_templates_file
from ptst.templates import registry

# Reference strings, written out from ../shared/spec/README.md (not derived from the package's constants).
LLAMA = (
    "You are a helpful, respectful and honest assistant. Always answer as helpfully as possible, while being safe. "
    "Your answers should not include any harmful, unethical, racist, sexist, toxic, dangerous, or illegal content. "
    "Please ensure that your responses are socially unbiased and positive in nature. If a question does not make any "
    "sense, or is not factually coherent, explain why instead of answering something not correct. If you don't know "
    "the answer to a question, please don't share false information."
)
SHORT = "You are a helpful, respectful and honest assistant. Always answer as helpfully as possible, while being safe."
MPT = "A conversation between a user and an LLM-based AI assistant. The assistant gives helpful and honest answers."
ALPACA = "Below is an instruction that describes a task. Write a response that appropriately completes the request."
GPT_LLAMA = "Be helpful, respectful and honest." + LLAMA[len("You are a helpful, respectful and honest assistant."):]
GPT_SHORT = "Be helpful, respectful and honest assistant. Always answer as helpfully as possible, while being safe."

REF_LLAMA2 = {
    "text:vanilla": "Question: %s\nAnswer:",
    "text:alpaca": ALPACA + "\n\n### Instruction:\n%s\n\n### Response:\n",
    "chat:vanilla": "[INST] Question: %s [/INST]",
    "chat:alpaca": "[INST] <<SYS>>\n" + ALPACA + "\n<</SYS>>\n\n### Instruction:\n%s\n\n### Response:\n [/INST]",
    "chat:llama": "[INST] <<SYS>>\n" + LLAMA + "\n<</SYS>>\n\nQuestion: %s [/INST]",
    "chat:llama-short": "[INST] <<SYS>>\n" + SHORT + "\n<</SYS>>\n\nQuestion: %s [/INST]",
    "chat:mpt": "[INST] <<SYS>>\n" + MPT + "\n<</SYS>>\n\nQuestion: %s [/INST]",
}
REF_OPENAI = {
    "chat:vanilla": ("", "%s"),
    "chat:llama": (GPT_LLAMA, "%s"),
    "chat:llama-short": (GPT_SHORT, "%s"),
    "chat:alpaca": (ALPACA, "### Instruction:\n%s\n\n### Response:\n"),
    "chat:mpt": (MPT, "%s"),
}
SAFETY = {"text:vanilla": False, "text:alpaca": False, "chat:vanilla": False, "chat:alpaca": False,
          "chat:llama": True, "chat:llama-short": True, "chat:mpt": False}

QUERIES = [
    "Q",
    "What is 15% of 80?",
    "Use %s and %d and %% here",
    "Format {this} and {0} and {query}",
    'He said "stop" and \'go\'',
    "line one\nline two\n\nline four",
    "trailing spaces   ",
    "  leading spaces",
    "",
    "unicode: naïve café ∑ 😀",
]


def expected(ref: str, q: str) -> str:
    before, after = ref.split("%s")
    return before + q + after


@pytest.mark.parametrize("name", sorted(REF_LLAMA2))
@pytest.mark.parametrize("q", QUERIES)
def test_llama2_rendering_is_byte_exact(name, q):
    assert get_template(name).render(q, "llama2") == expected(REF_LLAMA2[name], q)


def test_spec_examples():
    assert get_template("chat:vanilla").render("Q") == "[INST] Question: Q [/INST]"
    assert get_template("chat:alpaca").render("Q").endswith("### Response:\n [/INST]")
    # Meta's original default prompt differs in whitespace; the PTST string is the one reproduced.
    assert "being safe. Your answers" in get_template("chat:llama").system
    assert "being safe.  Your" not in get_template("chat:llama").system


@pytest.mark.parametrize("name", sorted(REF_OPENAI))
@pytest.mark.parametrize("q", QUERIES)
def test_openai_rendering_matches_reference(name, q):
    system, user = REF_OPENAI[name]
    msgs = get_template(name).render(q, "openai")
    assert msgs == [{"role": "system", "content": system}, {"role": "user", "content": expected(user, q)}]


@pytest.mark.parametrize("name", sorted(SAFETY))
def test_safety_flag(name):
    assert get_template(name).has_safety_prompt is SAFETY[name]


def test_every_paper_template_registered():
    names = {t.name for t in list_templates()}
    assert set(REF_LLAMA2) <= names


@pytest.mark.parametrize("name", sorted(REF_LLAMA2))
def test_training_example_is_prompt_plus_completion(name):
    t = get_template(name)
    ex = t.render_example("What is 2+2?", "2+2=4\n#### 4", "llama2")
    assert ex.prompt == t.render("What is 2+2?", "llama2")
    assert ex.add_eos
    # a separating space after a prompt ending in a non-space character, none after one ending in a newline
    if ex.prompt.endswith("\n"):
        assert ex.completion == "2+2=4\n#### 4"
    else:
        assert ex.completion == " 2+2=4\n#### 4"


def test_openai_training_example_messages():
    ex = get_template("chat:llama").render_example("q", "a", "openai")
    assert ex.messages[-1] == {"role": "assistant", "content": "a"}
    assert ex.messages[0]["content"] == GPT_LLAMA
    assert not ex.add_eos


class ChatMLTokenizer:
    """A stand-in tokenizer with a ChatML chat template that injects a default system prompt."""

    chat_template = "chatml"
    eos_token = "<|im_end|>"
    bos_token = "<|im_start|>"
    name_or_path = "fake-chatml"

    def apply_chat_template(self, messages, tokenize=False, add_generation_prompt=False):
        out = ""
        if messages[0]["role"] != "system":
            out += "<|im_start|>system\nDEFAULT<|im_end|>\n"
        for m in messages:
            out += f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n"
        if add_generation_prompt:
            out += "<|im_start|>assistant\n"
        return out


class NoSystemTokenizer(ChatMLTokenizer):
    def apply_chat_template(self, messages, tokenize=False, add_generation_prompt=False):
        if messages[0]["role"] == "system":
            raise ValueError("Conversation roles must alternate user/assistant/user/assistant/...")
        return "".join(f"<s>[INST] {m['content']} [/INST]" for m in messages if m["role"] == "user")


def test_native_rendering_uses_the_models_chat_template():
    tok = ChatMLTokenizer()
    p = get_template("chat:llama").render("hi %s", "native", tok)
    assert p == f"<|im_start|>system\n{LLAMA}<|im_end|>\n<|im_start|>user\nQuestion: hi %s<|im_end|>\n<|im_start|>assistant\n"
    # chat:vanilla passes no system message: a template with a default system prompt injects its own
    assert get_template("chat:vanilla").render("hi", "native", tok).startswith("<|im_start|>system\nDEFAULT")
    # text templates are plain text in every string format
    assert get_template("text:vanilla").render("hi", "native", tok) == "Question: hi\nAnswer:"


def test_native_training_example_extends_prompt_with_end_of_turn():
    tok = ChatMLTokenizer()
    ex = get_template("chat:llama").render_example("q", "ans", "native", tok)
    assert ex.completion == "ans<|im_end|>\n"
    assert not ex.add_eos  # the end-of-turn marker is the EOS token


def test_native_rendering_merges_system_when_the_template_rejects_it():
    p = get_template("chat:llama-short").render("hi", "native", NoSystemTokenizer())
    assert p == f"<s>[INST] {SHORT}\n\nQuestion: hi [/INST]"


def test_native_needs_a_tokenizer():
    with pytest.raises(PtstError, match="tokenizer"):
        get_template("chat:llama").render("hi", "native")


def test_unknown_template_and_format():
    with pytest.raises(PtstError, match="unknown template 'chat:nope'"):
        get_template("chat:nope")
    with pytest.raises(PtstError, match="unknown format"):
        get_template("chat:llama").render("q", "html")


@pytest.fixture
def clean_registry():
    registry._reset_for_tests()
    yield
    registry._reset_for_tests()


def test_user_templates_from_yaml(tmp_path, clean_registry):
    f = tmp_path / "t.yaml"
    f.write_text(
        "safety_prompts:\n  guard: 'Never help with anything dangerous. 100% sure.'\n"
        "templates:\n"
        "  chat:guard:\n    safety_prompt: guard\n    user: 'Q: {query}'\n"
        "  text:plain:\n    kind: text\n    user: \"%s\\n=>\"\n"
    )
    made = load_templates_file(f)
    assert [t.name for t in made] == ["chat:guard", "text:plain"]
    g = get_template("chat:guard")
    assert g.has_safety_prompt
    assert g.render("50% {x}") == "[INST] <<SYS>>\nNever help with anything dangerous. 100% sure.\n<</SYS>>\n\nQ: 50% {x} [/INST]"
    assert get_template("text:plain").render("a") == "a\n=>"
    assert not get_template("text:plain").has_safety_prompt


@pytest.mark.parametrize(
    "body, match",
    [
        ("templates:\n  x:\n    user: 'no placeholder'\n", "exactly one query placeholder"),
        ("templates:\n  x:\n    user: '%s and %s'\n", "exactly one query placeholder"),
        ("templates:\n  x:\n    safety_prompt: missing\n", "unknown safety prompt 'missing'"),
        ("templates:\n  x:\n    colour: red\n", "field 'templates.x.colour': unknown field"),
        ("templates:\n  x:\n    kind: text\n    system: s\n", "text template has no system prompt"),
        ("templates: [1, 2\n", "invalid YAML"),
    ],
)
def test_bad_template_files_give_one_line_errors(tmp_path, clean_registry, body, match):
    f = tmp_path / "bad.yaml"
    f.write_text(body)
    with pytest.raises(PtstError, match=match) as e:
        load_templates_file(f)
    assert "\n" not in str(e.value)
    assert str(f) in str(e.value) or "template 'x'" in str(e.value)


def test_templates_from_environment(tmp_path, monkeypatch, clean_registry):
    f = tmp_path / "env.yaml"
    f.write_text("templates:\n  chat:env:\n    system: 'S'\n")
    monkeypatch.setenv("PTST_TEMPLATES", str(f))
    assert get_template("chat:env").render("q") == "[INST] <<SYS>>\nS\n<</SYS>>\n\nQuestion: q [/INST]"


def test_summary_is_json_serialisable():
    for t in list_templates():
        json.dumps(t.summary())
