package imagesapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// signFor signs req with the root key for service.
func signFor(req *http.Request, service string) error {
	sum := sha256.Sum256(nil)
	return v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: rootKey, SecretAccessKey: secret},
		req, hex.EncodeToString(sum[:]), service, "us-east-1", time.Now())
}
