// Package crypt holds the at-rest encryption primitives behind imgcdn's SSE-S3 ("default
// encryption", x-amz-server-side-encryption: AES256): a master key that lives outside the
// object data, per-object data keys wrapped by it, and a chunked AEAD stream format that can be
// written in one pass without knowing the length and read back at random offsets, so that a
// Range request decrypts only the chunks it overlaps.
//
// It is a stdlib-only leaf: it knows nothing of buckets, files layout or HTTP. The object store
// decides where wrapped keys and ciphertext live; the S3 layer maps the sentinel errors below to
// wire codes. AWS's description of the feature this implements: "Using server-side encryption
// with Amazon S3 managed keys (SSE-S3)", AmazonS3/latest/userguide/UsingServerSideEncryption.html.
//
// # Keys
//
// A [MasterKey] is 32 random bytes kept in a 0600 file ([LoadOrCreateMasterKey]) or given as
// base64 ([MasterKeyFromBase64], for IMGCDN_MASTER_KEY). Its key id is the first 8 bytes of
// SHA-256("imgcdn master key id v1\x00" || key), shown as 16 hex digits; it is public and only
// lets a wrong master key be reported as such instead of as corruption.
//
// Every object gets a fresh 256-bit [DataKey] from [MasterKey.NewDataKey]. The data key is
// stored only wrapped: AES-256-GCM under the master key, random 96-bit nonce, and associated
// data binding the record version, the key id and a caller-chosen context (the object's internal
// id), so a wrapped key copied onto another object's metadata fails to unwrap. The marshaled
// [WrappedKey] is 69 bytes:
//
//	offset size  field
//	     0    1  version = 1
//	     1    8  master key id
//	     9   12  nonce (random)
//	    21   48  AES-256-GCM(master key, nonce, data key, AAD) = 32-byte key || 16-byte tag
//	AAD = version (1) || master key id (8) || context (any length)
//
// With random nonces NIST SP 800-38D section 8.3 allows 2^32 wraps under one master key, far
// more data keys than one installation writes; rotate the master key (Unwrap with the old one,
// Wrap with the new one) long before that.
//
// # Stream format, version 1
//
// A stream is a 16-byte header followed by one or more chunks:
//
//	header:
//	offset size  field
//	     0    4  magic "ICDE"
//	     4    1  version = 1
//	     5    1  log2 of the chunk size C: 16 (64 KiB) in the streams this package writes;
//	             readers accept 4..20, i.e. 16 B to 1 MiB
//	     6    2  reserved, zero
//	     8    8  nonce prefix P (random per stream)
//
//	chunk i (i = 0, 1, ..., n-1):
//	    AES-256-GCM(data key, nonce_i, plaintext_i, aad_i) = ciphertext || 16-byte tag
//	    nonce_i = P (8) || uint32 big-endian i (4)
//	    aad_i   = header (16) || uint32 big-endian i (4) || final (1: 0x01 for i = n-1, else 0x00)
//
// Every chunk but the last holds exactly C plaintext bytes; the last holds 1..C bytes, except
// that the empty plaintext is one final chunk of 0 bytes. Hence a plaintext of N bytes gives
// n = max(1, ceil(N/C)) chunks and 16 + N + 16n ciphertext bytes ([CiphertextSize]); the size
// alone determines where every chunk starts, which is what makes random access possible
// ([NewReaderAt], [Reader.NewRangeReader]).
//
// What the construction defends against, chunk by chunk:
//   - Modified bytes anywhere: the header is in every chunk's AAD (and its prefix in every
//     nonce), each chunk carries a GCM tag, so any change fails authentication
//     ([ErrAuthentication]); bytes are released only after their chunk has authenticated.
//   - Reordered or duplicated chunks: the index is in both the nonce and the AAD.
//   - Truncation at a chunk boundary: the new last chunk was sealed with final = 0, so reading it
//     as the last one fails. Extension (chunks appended after the real last one): the old last
//     chunk was sealed with final = 1 and fails when read as a middle chunk.
//
// Why nonces never repeat under one data key: within a stream the chunk index strictly
// increases and the writer refuses to go past 2^32-1 chunks ([ErrTooLarge]; 256 TiB at 64 KiB,
// beyond S3's 5 TiB object limit), so the 96-bit nonces of one stream are pairwise distinct. Each
// stream is meant to get its own data key, so distinct streams never share a key at all. The
// random prefix P is defence in depth for a caller that does reuse a data key: two streams then
// collide only if their 64-bit prefixes are equal, probability below s^2/2^65 for s streams.
// A data key used for several streams does not bind each stream to its place, though (two such
// streams could be swapped undetected), so give every stream, for example every multipart
// part, its own data key and wrapping context.
//
// # Use from an object store
//
//	master, err := crypt.LoadOrCreateMasterKey(filepath.Join(dataDir, "master.key"))
//	pool := crypt.NewBufferPool() // one per store
//
//	// PUT: a fresh key per object, wrapped for that object's internal id.
//	dk, wk, err := master.NewDataKey([]byte(objectID))
//	rec, _ := wk.MarshalBinary() // WrappedKeySize bytes, into the metadata record
//	w := crypt.NewWriter(file, dk, crypt.WithBufferPool(pool))
//	io.Copy(w, body); err = w.Close() // then fsync file; size on disk = CiphertextSize(n)
//	// or, for an inline body: sealed, err := crypt.Seal(nil, dk, body)
//
//	// GET / Range: unwrap, open, copy only the requested bytes.
//	var wk crypt.WrappedKey; err = wk.UnmarshalBinary(rec)
//	dk, err := master.Unwrap(wk, []byte(objectID))
//	rd, err := crypt.NewReaderAt(file, crypt.CiphertextSize(meta.Size), dk, crypt.WithBufferPool(pool))
//	io.Copy(resp, rd.NewRangeReader(first, last-first+1)) // ErrAuthentication: corrupt object
//	// or, inline: body, err := crypt.Open(nil, dk, sealed)
//
// Memory is bounded: a [Writer] buffers at most one chunk of plaintext and stages less than a
// chunk size of ciphertext (its writes are page-aligned, see Writer), a range reader holds one
// chunk, and neither allocates per chunk once running (one cipher.AEAD per stream, buffers
// reused).
package crypt
