"""The networks: a causal content encoder (phone posteriors, 2 hops of look-ahead) and a causal
target-speaker decoder (posteriors + F0 + speaker -> mel-cepstrum), plus the one-hop streaming
step that is exported, where every cache is an explicit state tensor."""

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from common import HOP, ORDER, PHONES, mel_filterbank

WINDOW = 400            # 25 ms analysis window ending at the end of each hop
MELS = 80
LOOKAHEAD = 2           # hops the encoder waits for (20 ms)


class LogMel(nn.Module):
    """Log mel energies of the 400 samples ending at each hop's end, as matrix products (exports to ONNX)."""

    def __init__(self):
        super().__init__()
        n = 512
        k = np.arange(n // 2 + 1)
        t = np.arange(WINDOW)
        win = np.hanning(WINDOW + 2)[1:-1]
        self.register_buffer("cos", torch.tensor((np.cos(2 * np.pi * np.outer(t, k) / n) * win[:, None]).astype(np.float32)))
        self.register_buffer("sin", torch.tensor((np.sin(2 * np.pi * np.outer(t, k) / n) * win[:, None]).astype(np.float32)))
        self.register_buffer("fb", torch.tensor(mel_filterbank(MELS, n).T.astype(np.float32)))
        self.register_buffer("mean", torch.zeros(MELS))
        self.register_buffer("std", torch.ones(MELS))

    def power(self, frames):                       # [B, T, 400] -> [B, T, 257]
        return (frames @ self.cos) ** 2 + (frames @ self.sin) ** 2

    def forward(self, frames, power=None):
        p = self.power(frames) if power is None else power
        return (torch.log(p @ self.fb + 1e-5) - self.mean) / self.std

    @staticmethod
    def frames(audio):                             # [B, N] -> [B, N // HOP, 400]
        x = F.pad(audio, (WINDOW - HOP, 0))
        return x.unfold(1, WINDOW, HOP)[:, :audio.shape[1] // HOP]


class CausalBlock(nn.Module):
    def __init__(self, ch, dilation, cond=0):
        super().__init__()
        self.dilation = dilation
        self.norm = nn.LayerNorm(ch)
        self.conv = nn.Conv1d(ch, 2 * ch, 3, dilation=dilation)
        self.cond = nn.Linear(cond, 2 * ch) if cond else None
        self.out = nn.Conv1d(ch, ch, 1)

    @property
    def context(self):
        return 2 * self.dilation

    def forward(self, x, c=None, cache=None):
        """x [B, C, T]; cache [B, C, context] of the previous normalised inputs (zeros at the start)."""
        h = self.norm(x.transpose(1, 2)).transpose(1, 2)
        if cache is None:
            h_in = F.pad(h, (self.context, 0))
        else:
            h_in = torch.cat([cache, h], dim=2)
        new_cache = h_in[:, :, -self.context:]
        y = self.conv(h_in)
        if self.cond is not None:
            y = y + self.cond(c).unsqueeze(2)
        a, b = y.chunk(2, dim=1)
        return x + self.out(torch.tanh(a) * torch.sigmoid(b)), new_cache


class Encoder(nn.Module):
    def __init__(self, ch=192, dilations=(1, 2, 4, 8, 1, 2)):
        super().__init__()
        self.mel = LogMel()
        self.inp = nn.Conv1d(MELS, ch, 2 * LOOKAHEAD + 1)
        self.blocks = nn.ModuleList(CausalBlock(ch, d) for d in dilations)
        self.head = nn.Conv1d(ch, len(PHONES), 1)

    def forward(self, mel):
        """mel [B, T, MELS] -> logits [B, T, phones]. Output k is about hop k - LOOKAHEAD (the first
        LOOKAHEAD outputs precede the start), exactly what the streaming step emits at hop k."""
        x = self.inp(F.pad(mel.transpose(1, 2), (2 * LOOKAHEAD, 0)))
        for b in self.blocks:
            x, _ = b(x)
        return self.head(x).transpose(1, 2)


class Decoder(nn.Module):
    def __init__(self, speakers, ch=192, dilations=(1, 2, 4, 1, 2), emb=32):
        super().__init__()
        self.speaker = nn.Embedding(speakers, emb)
        self.inp = nn.Conv1d(len(PHONES) + 2, ch, 1)
        self.blocks = nn.ModuleList(CausalBlock(ch, d, emb) for d in dilations)
        self.head = nn.Conv1d(ch, ORDER + 1, 1)
        self.register_buffer("mean", torch.zeros(ORDER + 1))
        self.register_buffer("std", torch.ones(ORDER + 1))

    @staticmethod
    def pitch_features(f0):                        # Hz [B, T] -> [B, 2, T]
        voiced = (f0 > 0).float()
        lf0 = torch.where(f0 > 0, (torch.log(f0.clamp(min=1.0)) - 5.0) / 0.5, torch.zeros_like(f0))
        return torch.stack([lf0, voiced], dim=1)

    def forward(self, posteriors, f0, speaker):
        """posteriors [B, T, phones], f0 [B, T] Hz, speaker [B] -> normalised mcep [B, T, ORDER+1]."""
        x = self.inp(torch.cat([posteriors.transpose(1, 2), self.pitch_features(f0)], dim=1))
        c = self.speaker(speaker)
        for b in self.blocks:
            x, _ = b(x, c)
        return self.head(x).transpose(1, 2)


class Step(nn.Module):
    """One hop: audio [1, HOP] + f0 + speaker -> mcep and f0 of the hop LOOKAHEAD hops back."""

    def __init__(self, enc, dec):
        super().__init__()
        self.enc = enc
        self.dec = dec

    def state_shapes(self):
        ch_e = self.enc.inp.out_channels
        ch_d = self.dec.inp.out_channels
        shapes = [(1, WINDOW - HOP), (1, MELS, 2 * LOOKAHEAD)]
        shapes += [(1, ch_e, b.context) for b in self.enc.blocks]
        shapes += [(1, ch_d, b.context) for b in self.dec.blocks]
        return shapes

    def forward(self, audio_in, f0_in, speaker, *states):
        audio_state, mel_state = states[:2]
        enc_states = states[2:2 + len(self.enc.blocks)]
        dec_states = states[2 + len(self.enc.blocks):]
        window = torch.cat([audio_state, audio_in], dim=1)                  # [1, 400]
        mel = self.enc.mel(window.unsqueeze(1))                             # [1, 1, MELS]
        mels = torch.cat([mel_state, mel.transpose(1, 2)], dim=2)           # [1, MELS, 5]
        x = self.enc.inp(mels)
        new = [window[:, HOP:], mels[:, :, 1:]]
        for b, s in zip(self.enc.blocks, enc_states):
            x, s2 = b(x, cache=s)
            new.append(s2)
        post = torch.softmax(self.enc.head(x), dim=1)                       # [1, phones, 1]
        # The runner's YIN window ends at this hop's end, so its centre lies 5 ms after the output
        # hop's centre: the nearest f0 there is, so it is passed on undelayed.
        f0_out = f0_in
        h = self.dec.inp(torch.cat([post, self.dec.pitch_features(f0_out)], dim=1))
        c = self.dec.speaker(speaker)
        for b, s in zip(self.dec.blocks, dec_states):
            h, s2 = b(h, c, cache=s)
            new.append(s2)
        mcep = self.dec.head(h).squeeze(2) * self.dec.std + self.dec.mean
        return (mcep, f0_out) + tuple(new)
