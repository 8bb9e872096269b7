#!/usr/bin/env python3
"""Writes the small WAV fixtures in Tests/Fixtures/signals/ with writers independent of kgfuse.

  stereo_pcm16.wav        Python's `wave` module, 2 channels, 16-bit PCM, 8000 Hz, 100 frames:
                          left[n] = round(32767·sin(2π·n/25)), right[n] = 300·n − 15000.
  three_channel_float32_wavex.wav  libsndfile (soundfile, format WAVEX = WAVE_FORMAT_EXTENSIBLE, subtype FLOAT),
                          3 channels, 11025 Hz, 64 frames: channel c, frame n = (c + 1)·0.25·cos(2π·n/16).
  mono_pcm24_wavex.wav    libsndfile WAVEX, subtype PCM_24, 1 channel, 16000 Hz, 50 frames: 0.9·sin(2π·n/10).

Run from the repository root: python3 Benchmarks/signals/wav_fixtures.py
"""
import math
import os
import struct
import wave

import numpy as np
import soundfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "signals")

with wave.open(os.path.join(OUT, "stereo_pcm16.wav"), "wb") as handle:
    handle.setnchannels(2)
    handle.setsampwidth(2)
    handle.setframerate(8000)
    frames = b"".join(struct.pack("<hh", round(32767 * math.sin(2 * math.pi * n / 25)), 300 * n - 15000)
                      for n in range(100))
    handle.writeframes(frames)

n = np.arange(64)
three = np.stack([(c + 1) * 0.25 * np.cos(2 * np.pi * n / 16) for c in range(3)], axis=1).astype(np.float32)
soundfile.write(os.path.join(OUT, "three_channel_float32_wavex.wav"), three, 11025, format="WAVEX", subtype="FLOAT")

m = np.arange(50)
soundfile.write(os.path.join(OUT, "mono_pcm24_wavex.wav"), 0.9 * np.sin(2 * np.pi * m / 10), 16000,
                format="WAVEX", subtype="PCM_24")
print("wrote", sorted(f for f in os.listdir(OUT) if f.endswith(".wav")))
