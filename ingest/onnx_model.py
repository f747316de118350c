"""The bundled model as ONNX: query embeddings without importing torch (issue 7).

Importing torch and sentence-transformers costs about 6 s here, which alone breaks a 3 s
cold start. So ingest (which loads torch anyway) exports the verified model once to ONNX
next to the index; the query path then needs only onnxruntime and the tokenizers
library. The export is accepted only when its vectors match sentence-transformers' to
within a cosine of 0.999 on probe texts, and it is tied to the source weights' sha256 and
its own sha256, both checked before every load.

Pipeline reproduced from the model's sentence-transformers config: WordPiece tokens
(truncated at 256), BERT, mean pooling over the attention mask, L2 normalisation.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from pathlib import Path

import numpy as np

from ingest.embedding import ModelIntegrityError, file_sha256, verify_model

log = logging.getLogger("ssri_qa")
ONNX_FILE = "model.onnx"
META_FILE = "export.json"
MIN_COSINE = 0.999
PROBES = (
    "What is the half-life of fluoxetine?",
    "SSRIs",
    "Discontinuation symptoms after stopping paroxetine abruptly can include dizziness, irritability and "
    "electric-shock sensations, which is why doses are usually tapered over weeks rather than stopped at once.",
    "Is depression caused by low serotonin? The serotonin hypothesis has been questioned by an umbrella review.",
    "sertraline vs escitalopram for anxiety " * 40,  # past the 256-token limit: truncation must agree
)


def export_dir(data_dir: Path, source_sha256: str) -> Path:
    return data_dir / "models" / f"all-minilm-l6-v2-onnx-{source_sha256[:16]}"


def export(model_dir: Path, source_sha256: str, target: Path) -> dict[str, float | str]:
    """Export the verified model to `target` (atomically) and check it against sentence-transformers."""
    verify_model(model_dir, source_sha256)
    import torch
    from transformers import AutoModel

    started = time.perf_counter()
    bert = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager")
    bert.eval()

    class LastHidden(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(
            self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
        ) -> torch.Tensor:
            return self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    staging = target.with_name(target.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    # Trace with padding in the batch, so the attention mask stays a real input of the graph.
    ids = torch.tensor([[101, 2054, 2003, 1996, 102], [101, 2054, 102, 0, 0]])
    mask = (ids != 0).long()
    axes = {0: "batch", 1: "tokens"}
    with torch.no_grad():
        torch.onnx.export(
            LastHidden(bert),
            (ids, mask, torch.zeros_like(ids)),
            str(staging / ONNX_FILE),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes, "last_hidden_state": axes},
            opset_version=17,
            dynamo=False,
        )
    shutil.copy2(model_dir / "tokenizer.json", staging / "tokenizer.json")
    meta: dict[str, float | str] = {"source_sha256": source_sha256, "onnx_sha256": file_sha256(staging / ONNX_FILE)}

    from sentence_transformers import SentenceTransformer

    reference = SentenceTransformer(str(model_dir), device="cpu").encode(list(PROBES), normalize_embeddings=True)
    candidate = OnnxEmbedder(staging, source_sha256, expected_onnx_sha256=str(meta["onnx_sha256"])).embed(list(PROBES))
    worst = float(np.min(np.sum(reference * candidate, axis=1)))
    if worst < MIN_COSINE:
        shutil.rmtree(staging, ignore_errors=True)
        raise ModelIntegrityError(
            f"ONNX export disagrees with sentence-transformers (cosine {worst:.5f} < {MIN_COSINE}); not used"
        )
    meta.update(min_cosine=round(worst, 6), seconds=round(time.perf_counter() - started, 2))
    (staging / META_FILE).write_text(json.dumps(meta), encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return meta


def ensure_export(model_dir: Path, source_sha256: str, data_dir: Path, *, create: bool = True) -> Path | None:
    """The export folder; when missing, created if `create` (else None). None (logged) when export fails."""
    target = export_dir(data_dir, source_sha256)
    if (target / META_FILE).is_file():
        return target
    if not create:
        return None
    try:
        meta = export(model_dir, source_sha256, target)
        log.info("exported the query model to ONNX in %.1fs (min cosine %.5f)", meta["seconds"], meta["min_cosine"])
        return target
    except Exception as exc:  # noqa: BLE001 - the export is an optimisation; torch remains the fallback
        log.warning("ONNX export failed (%s); queries will use sentence-transformers", exc)
        return None


class OnnxEmbedder:
    """Embeds with onnxruntime; the same vectors (cosine ≥ 0.999) and identity as the torch model."""

    dimensions = 384

    def __init__(
        self,
        folder: Path,
        source_sha256: str,
        *,
        expected_onnx_sha256: str | None = None,
        max_tokens: int = 256,
        threads: int | None = None,
    ) -> None:
        self.folder = folder
        self.identity = f"st:{source_sha256}"
        if expected_onnx_sha256 is None:
            meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
            if meta.get("source_sha256") != source_sha256:
                raise ModelIntegrityError(
                    f"{folder} was exported from other weights ({meta.get('source_sha256')}); delete it to re-export"
                )
            expected_onnx_sha256 = meta["onnx_sha256"]
        actual = file_sha256(folder / ONNX_FILE)
        if actual != expected_onnx_sha256:
            raise ModelIntegrityError(
                f"{folder / ONNX_FILE} has sha256 {actual}, expected {expected_onnx_sha256}; delete the folder to re-export"
            )
        import onnxruntime
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=max_tokens)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106 - a token, not a password
        options = onnxruntime.SessionOptions()
        if threads is not None:  # a fixed pool that sleeps when idle (EmbeddingSettings.query_threads)
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = onnxruntime.InferenceSession(
            str(folder / ONNX_FILE), sess_options=options, providers=["CPUExecutionProvider"]
        )

    def embed(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        order = np.argsort([len(t) for t in texts])
        out = np.empty((len(texts), self.dimensions), dtype=np.float32)
        for i in range(0, len(texts), batch_size):
            rows = order[i : i + batch_size]
            encoded = self.tokenizer.encode_batch([texts[r] for r in rows])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            hidden = self.session.run(
                None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            )[0]
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            out[rows] = pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        return out


__all__ = ["OnnxEmbedder", "ensure_export", "export", "export_dir"]
