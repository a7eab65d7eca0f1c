// Text as windows-1251 bytes (what Russian banks' registries are often written in): Latin,
// digits, punctuation and Cyrillic. Node decodes windows-1251 (TextDecoder) but does not encode it.

export function encodeCp1251(text: string): Buffer {
  const out = Buffer.alloc(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) out[i] = c;
    else if (c >= 0x410 && c <= 0x44f) out[i] = c - 0x410 + 0xc0;
    else if (c === 0x401) out[i] = 0xa8;
    else if (c === 0x451) out[i] = 0xb8;
    else if (c === 0x2116) out[i] = 0xb9;
    else throw new Error(`no windows-1251 byte for ${text[i]}`);
  }
  return out;
}
