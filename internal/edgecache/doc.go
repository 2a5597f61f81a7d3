// Package edgecache is the edge's cache store: a disk tier bounded in bytes that survives
// restarts, a memory tier for hot small objects, S3-FIFO eviction in both, single-flight fills
// that waiting readers follow byte by byte (request collapsing, issue 6), and invalidation by
// distribution and path (CloudFront CreateInvalidation, issue 5).
//
// Layout of Dir:
//
//	lock            flock(2)ed while a Cache is open, so two processes never share a directory
//	dirty           present while open; found at Open it means the last run did not Close
//	tmp/<seq>.fill  bodies being filled; never served after a restart (removed at Open)
//	obj/<xx>/<seq>  committed entries, one file each, named by a sequence number so cache keys
//	                (viewer input) never become file paths
//
// One file per entry rather than segment files: entries range from a few hundred bytes to tens
// of GB, are replaced and invalidated individually, and a reader of a replaced or evicted entry
// keeps reading its open descriptor after the unlink, which is what "readable until Release"
// needs without any compaction or copy. The file system's allocator does the segment work.
//
// An entry file is the body followed by a trailer (format.go): the metadata block (key, Meta)
// and a fixed tail with the body length, CRC-32C of body and metadata, the sequence number and a
// magic. A fill is written to tmp/ and renamed into obj/ only after the trailer is written, so
// after a SIGKILL at any point an entry in obj/ is complete (the page cache survives the
// process), and anything else is a temp file that Open deletes. Open checks every trailer
// (length, magic, metadata CRC, name); after an unclean shutdown it also checks every body
// against its CRC, which catches blocks a power loss left unwritten.
package edgecache
