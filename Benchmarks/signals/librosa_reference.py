#!/usr/bin/env python3
"""Computes the reference values that Tests/SignalsTests compare kgfuse's Signals module against.

Input: the first 2 s (24,000 samples) of ../shared/data/cwru/signals/X118_DE.f32 (CWRU ball fault, 12 kHz,
raw little-endian float32), read exactly as Swift reads it.

Outputs (Tests/Fixtures/signals/, little-endian float32, row-major):
  X118_DE_2s_mel_power.f32  librosa.feature.melspectrogram(y, sr=12000, n_fft=2048, hop_length=512, n_mels=128,
                            center=True, pad_mode='constant', window='hann', power=2.0) (Slaney mel, norm='slaney');
                            shape [128, 47]
  X118_DE_2s_mel_db.f32     librosa.power_to_db(S, ref=1.0, amin=1e-10, top_db=80.0); shape [128, 47]
  X118_DE_2s_resampled_16k.f32  scipy.signal.resample_poly(y[:6000], up=4, down=3) (Kaiser beta 5.0 window,
                            half length 10 * max(up, down)); shape [8000]
  references.json           versions, shapes and the exact calls.

Run from the repository root: python3 Benchmarks/signals/librosa_reference.py
"""
import json
import os
import sys

import numpy as np
import scipy
import scipy.signal
import librosa

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.environ.get("KGFUSE_SHARED", os.path.join(os.path.dirname(ROOT), "shared"))
SOURCE = os.path.join(SHARED, "data", "cwru", "signals", "X118_DE.f32")
OUT = os.path.join(ROOT, "Tests", "Fixtures", "signals")

SR = 12000
N_SAMPLES = 2 * SR


def main() -> int:
    y = np.fromfile(SOURCE, dtype="<f4")[:N_SAMPLES]
    assert y.shape == (N_SAMPLES,), y.shape
    mel = librosa.feature.melspectrogram(
        y=y, sr=SR, n_fft=2048, hop_length=512, n_mels=128, center=True, pad_mode="constant",
        window="hann", power=2.0, htk=False, norm="slaney")
    db = librosa.power_to_db(mel, ref=1.0, amin=1e-10, top_db=80.0)
    resampled = scipy.signal.resample_poly(y[:6000].astype(np.float64), up=4, down=3)
    os.makedirs(OUT, exist_ok=True)
    mel.astype("<f4").tofile(os.path.join(OUT, "X118_DE_2s_mel_power.f32"))
    db.astype("<f4").tofile(os.path.join(OUT, "X118_DE_2s_mel_db.f32"))
    resampled.astype("<f4").tofile(os.path.join(OUT, "X118_DE_2s_resampled_16k.f32"))
    meta = {
        "source": "data/cwru/signals/X118_DE.f32 (first 24000 samples, 12000 Hz)",
        "librosa": librosa.__version__, "numpy": np.__version__, "scipy": scipy.__version__,
        "mel_power": {"file": "X118_DE_2s_mel_power.f32", "shape": list(mel.shape),
                      "call": "librosa.feature.melspectrogram(y=y, sr=12000, n_fft=2048, hop_length=512, n_mels=128, "
                              "center=True, pad_mode='constant', window='hann', power=2.0, htk=False, norm='slaney')"},
        "mel_db": {"file": "X118_DE_2s_mel_db.f32", "shape": list(db.shape),
                   "call": "librosa.power_to_db(S, ref=1.0, amin=1e-10, top_db=80.0)"},
        "resampled_16k": {"file": "X118_DE_2s_resampled_16k.f32", "shape": list(resampled.shape),
                          "call": "scipy.signal.resample_poly(y[:6000].astype(float64), up=4, down=3)"},
    }
    with open(os.path.join(OUT, "references.json"), "w") as handle:
        json.dump(meta, handle, indent=2)
        handle.write("\n")
    print(json.dumps(meta, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
