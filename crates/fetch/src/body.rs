//! Reading a response body: streamed, capped on the wire, decompressed by us
//! (gzip, deflate, br) under a cap on decoded bytes and on the ratio of
//! decoded to received bytes.

use std::io::Write;

use crate::error::FetchError;

/// Limits on one body.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BodyLimits {
    /// Bytes received (compressed, as sent).
    pub wire: u64,
    /// Bytes after decompression.
    pub decoded: u64,
    /// Decoded bytes per received byte, checked once past `RATIO_FLOOR`.
    pub ratio: u64,
    /// Past a limit, keep what was read and stop (prefix reads: robots.txt,
    /// image headers) instead of failing.
    pub stop_at_limit: bool,
}

/// Below this many decoded bytes the ratio is not checked (small bodies of
/// repetitive markup compress very well and are harmless).
const RATIO_FLOOR: u64 = 1 << 20;

/// What stopped a body early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Overflow {
    Decoded,
    Ratio,
}

/// A `Write` that appends to a vector until its current allowance is used up,
/// then refuses, so a decoder stops in the middle of a bomb.
struct Capped {
    out: Vec<u8>,
    allowed: u64,
    overflow: Option<Overflow>,
    ratio_bound: bool,
}

impl Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let room = self.allowed.saturating_sub(self.out.len() as u64);
        if room == 0 && !buf.is_empty() {
            self.overflow = Some(if self.ratio_bound {
                Overflow::Ratio
            } else {
                Overflow::Decoded
            });
            return Err(std::io::Error::other("decoded size limit"));
        }
        let n = (buf.len() as u64).min(room) as usize;
        self.out.extend_from_slice(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

enum Decoder {
    Identity(Capped),
    /// `deflate` before its first two bytes arrive (zlib or raw deflate is
    /// decided from them: servers send both).
    DeflatePending(Capped, Vec<u8>),
    Gzip(Box<flate2::write::MultiGzDecoder<Capped>>),
    Zlib(Box<flate2::write::ZlibDecoder<Capped>>),
    Raw(Box<flate2::write::DeflateDecoder<Capped>>),
    Brotli(Box<brotli_decompressor::DecompressorWriter<Capped>>),
}

/// The content codings we decode (Accept-Encoding sends these).
pub(crate) const ACCEPT_ENCODING: &str = "gzip, deflate, br";

/// Accumulates one body.
pub(crate) struct BodyReader {
    url: String,
    encoding: String,
    limits: BodyLimits,
    decoder: Option<Decoder>,
    wire: u64,
    /// Set when a prefix read reached its limit.
    pub(crate) full: bool,
}

impl BodyReader {
    /// `content_encoding` is the header's value (`None` or `identity` for
    /// none). Unknown codings are an error.
    pub(crate) fn new(
        url: &str,
        content_encoding: Option<&str>,
        limits: BodyLimits,
    ) -> Result<Self, FetchError> {
        let enc = content_encoding
            .unwrap_or("identity")
            .trim()
            .to_ascii_lowercase();
        let sink = Capped {
            out: Vec::new(),
            allowed: limits.decoded.min(RATIO_FLOOR),
            overflow: None,
            ratio_bound: false,
        };
        let decoder = match enc.as_str() {
            "" | "identity" => Decoder::Identity(sink),
            "gzip" | "x-gzip" => Decoder::Gzip(Box::new(flate2::write::MultiGzDecoder::new(sink))),
            "deflate" => Decoder::DeflatePending(sink, Vec::new()),
            "br" => Decoder::Brotli(Box::new(brotli_decompressor::DecompressorWriter::new(
                sink,
                16 * 1024,
            ))),
            other => {
                return Err(FetchError::Decompress {
                    url: url.to_string(),
                    encoding: other.to_string(),
                    reason: "unsupported content coding".to_string(),
                })
            }
        };
        Ok(Self {
            url: url.to_string(),
            encoding: enc,
            limits,
            decoder: Some(decoder),
            wire: 0,
            full: false,
        })
    }

    /// Bytes received so far.
    pub(crate) fn wire_bytes(&self) -> u64 {
        self.wire
    }

    fn sink_mut(&mut self) -> Option<&mut Capped> {
        Some(match self.decoder.as_mut()? {
            Decoder::Identity(s) | Decoder::DeflatePending(s, _) => s,
            Decoder::Gzip(d) => d.get_mut(),
            Decoder::Zlib(d) => d.get_mut(),
            Decoder::Raw(d) => d.get_mut(),
            Decoder::Brotli(d) => d.get_mut(),
        })
    }

    /// Feeds one received chunk. `Ok(false)` means a prefix read is complete
    /// and the caller should stop reading.
    pub(crate) fn push(&mut self, chunk: &[u8]) -> Result<bool, FetchError> {
        if self.full {
            return Ok(false);
        }
        let mut chunk = chunk;
        let room = self.limits.wire.saturating_sub(self.wire);
        if chunk.len() as u64 > room {
            if !self.limits.stop_at_limit {
                return Err(FetchError::TooLarge {
                    url: self.url.clone(),
                    limit: self.limits.wire,
                });
            }
            chunk = &chunk[..room as usize];
            self.full = true;
        }
        self.wire += chunk.len() as u64;
        // The decoded allowance grows with what was received: the ratio cap
        // applies once past the floor.
        let (limits, wire) = (self.limits, self.wire);
        if let Some(sink) = self.sink_mut() {
            let by_ratio = wire.saturating_mul(limits.ratio).max(RATIO_FLOOR);
            sink.ratio_bound = by_ratio < limits.decoded;
            sink.allowed = by_ratio.min(limits.decoded);
        }
        let result = match self.decoder.as_mut() {
            None => return Ok(false),
            Some(Decoder::Identity(s)) => s.write_all(chunk),
            Some(Decoder::DeflatePending(_, head)) => {
                head.extend_from_slice(chunk);
                if head.len() >= 2 {
                    self.start_deflate()
                } else {
                    Ok(())
                }
            }
            Some(Decoder::Gzip(d)) => d.write_all(chunk),
            Some(Decoder::Zlib(d)) => d.write_all(chunk),
            Some(Decoder::Raw(d)) => d.write_all(chunk),
            Some(Decoder::Brotli(d)) => d.write_all(chunk),
        };
        self.after_write(result)?;
        Ok(!self.full)
    }

    fn start_deflate(&mut self) -> std::io::Result<()> {
        let Some(Decoder::DeflatePending(sink, head)) = self.decoder.take() else {
            return Ok(());
        };
        // zlib: CM = 8 in the low nibble and a header checksum.
        let zlib = head[0] & 0x0f == 8 && (u16::from(head[0]) << 8 | u16::from(head[1])) % 31 == 0;
        let (decoder, result) = if zlib {
            let mut d = flate2::write::ZlibDecoder::new(sink);
            let r = d.write_all(&head);
            (Decoder::Zlib(Box::new(d)), r)
        } else {
            let mut d = flate2::write::DeflateDecoder::new(sink);
            let r = d.write_all(&head);
            (Decoder::Raw(Box::new(d)), r)
        };
        self.decoder = Some(decoder);
        result
    }

    fn after_write(&mut self, result: std::io::Result<()>) -> Result<(), FetchError> {
        let Err(e) = result else {
            return Ok(());
        };
        let (limits, wire) = (self.limits, self.wire);
        let overflow = self.sink_mut().and_then(|s| s.overflow);
        match overflow {
            Some(_) if limits.stop_at_limit => {
                self.full = true;
                Ok(())
            }
            Some(Overflow::Decoded) if self.encoding == "identity" || self.encoding.is_empty() => {
                Err(FetchError::TooLarge {
                    url: self.url.clone(),
                    limit: limits.decoded.min(limits.wire),
                })
            }
            Some(Overflow::Decoded) => Err(FetchError::DecompressionBomb {
                url: self.url.clone(),
                reason: format!(
                    "more than {} bytes after decompression ({} bytes received)",
                    limits.decoded, wire
                ),
            }),
            Some(Overflow::Ratio) => Err(FetchError::DecompressionBomb {
                url: self.url.clone(),
                reason: format!("{} bytes received expand past {}x", wire, limits.ratio),
            }),
            None => Err(FetchError::Decompress {
                url: self.url.clone(),
                encoding: self.encoding.clone(),
                reason: e.to_string(),
            }),
        }
    }

    /// Ends the body and returns the decoded bytes.
    pub(crate) fn finish(mut self) -> Result<Vec<u8>, FetchError> {
        let stop = self.limits.stop_at_limit;
        let decompress_err = |url: &str, encoding: &str, reason: String| FetchError::Decompress {
            url: url.to_string(),
            encoding: encoding.to_string(),
            reason,
        };
        if matches!(self.decoder, Some(Decoder::DeflatePending(..))) {
            let r = self.start_deflate();
            self.after_write(r)?;
        }
        let (url, enc) = (self.url.clone(), self.encoding.clone());
        let full = self.full;
        let Some(decoder) = self.decoder.take() else {
            return Ok(Vec::new());
        };
        // A prefix read that stopped early has an unfinished stream: keep
        // what was decoded.
        let lenient = stop || full;
        let out = match decoder {
            Decoder::Identity(s) | Decoder::DeflatePending(s, _) => s.out,
            Decoder::Gzip(mut d) => match d.try_finish() {
                Ok(()) => std::mem::take(&mut d.get_mut().out),
                Err(_) if lenient || d.get_ref().overflow.is_some() => {
                    std::mem::take(&mut d.get_mut().out)
                }
                Err(e) => return Err(decompress_err(&url, &enc, e.to_string())),
            },
            Decoder::Zlib(mut d) => match d.try_finish() {
                Ok(()) => std::mem::take(&mut d.get_mut().out),
                Err(_) if lenient || d.get_ref().overflow.is_some() => {
                    std::mem::take(&mut d.get_mut().out)
                }
                Err(e) => return Err(decompress_err(&url, &enc, e.to_string())),
            },
            Decoder::Raw(mut d) => match d.try_finish() {
                Ok(()) => std::mem::take(&mut d.get_mut().out),
                Err(_) if lenient || d.get_ref().overflow.is_some() => {
                    std::mem::take(&mut d.get_mut().out)
                }
                Err(e) => return Err(decompress_err(&url, &enc, e.to_string())),
            },
            Decoder::Brotli(mut d) => match d.close() {
                Ok(()) => std::mem::take(&mut d.get_mut().out),
                Err(_) if lenient || d.get_ref().overflow.is_some() => {
                    std::mem::take(&mut d.get_mut().out)
                }
                Err(e) => return Err(decompress_err(&url, &enc, e.to_string())),
            },
        };
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(wire: u64, decoded: u64) -> BodyLimits {
        BodyLimits {
            wire,
            decoded,
            ratio: 100,
            stop_at_limit: false,
        }
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn read(enc: Option<&str>, body: &[u8], l: BodyLimits) -> Result<Vec<u8>, FetchError> {
        let mut r = BodyReader::new("http://x/", enc, l)?;
        for c in body.chunks(1000) {
            if !r.push(c)? {
                break;
            }
        }
        r.finish()
    }

    #[test]
    fn codings() {
        let text = b"hello hello hello world".repeat(100);
        assert_eq!(
            read(Some("gzip"), &gzip(&text), limits(1 << 20, 1 << 20)).unwrap(),
            text
        );
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(&text).unwrap();
        assert_eq!(
            read(
                Some("deflate"),
                &z.finish().unwrap(),
                limits(1 << 20, 1 << 20)
            )
            .unwrap(),
            text
        );
        let mut d = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
        d.write_all(&text).unwrap();
        assert_eq!(
            read(
                Some("deflate"),
                &d.finish().unwrap(),
                limits(1 << 20, 1 << 20)
            )
            .unwrap(),
            text
        );
        assert_eq!(read(None, &text, limits(1 << 20, 1 << 20)).unwrap(), text);
        assert!(matches!(
            read(Some("zstd"), &text, limits(1 << 20, 1 << 20)),
            Err(FetchError::Decompress { .. })
        ));
        assert!(matches!(
            read(Some("gzip"), b"not gzip at all", limits(1 << 20, 1 << 20)),
            Err(FetchError::Decompress { .. })
        ));
    }

    #[test]
    fn caps() {
        let zeros = vec![0u8; 4 << 20];
        let bomb = gzip(&zeros);
        // Ratio: a few KiB may not expand to 4 MiB.
        let e = read(Some("gzip"), &bomb, limits(1 << 20, 64 << 20)).unwrap_err();
        assert!(matches!(e, FetchError::DecompressionBomb { .. }), "{e}");
        // Absolute cap.
        let l = BodyLimits {
            ratio: u64::MAX,
            ..limits(1 << 20, 2 << 20)
        };
        let e = read(Some("gzip"), &bomb, l).unwrap_err();
        assert!(e.to_string().contains("after decompression"), "{e}");
        // Wire cap.
        let e = read(None, &zeros, limits(1 << 20, 64 << 20)).unwrap_err();
        assert!(matches!(e, FetchError::TooLarge { .. }), "{e}");
        // Prefix reads keep what fits.
        let l = BodyLimits {
            stop_at_limit: true,
            ..limits(4096, 4096)
        };
        assert_eq!(read(None, &zeros, l).unwrap().len(), 4096);
    }
}
