// Package auth holds the installation's identity (account id, canonical user id) and its access
// keys, and turns an access key into the principal it acts for.
//
// Secrets live in files of the data directory with mode 0600; they are never logged. The
// next issues add more keys (imgcdn keys create) and service principals; the root pair is the
// account owner, as the root user of an AWS account is.
package auth
