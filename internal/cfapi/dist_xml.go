package cfapi

import "encoding/xml"

// The DistributionConfig document, element for element as botocore's model names it
// (cloudfront/2020-05-31/service-2.json, shape DistributionConfig and what it contains). One
// set of types decodes requests and encodes answers: pointers tell a missing element from an
// empty one on the way in, and are all set on the way out (CloudFront answers every element,
// filled with its defaults). Every list is a Quantity and an Items element that is absent
// when empty, as CloudFront sends them.
type distConfigXML struct {
	CallerReference              *string            `xml:"CallerReference"`
	Aliases                      *aliasesXML        `xml:"Aliases"`
	DefaultRootObject            *string            `xml:"DefaultRootObject"`
	Origins                      *originsXML        `xml:"Origins"`
	OriginGroups                 *originGroupsXML   `xml:"OriginGroups"`
	DefaultCacheBehavior         *cacheBehaviorXML  `xml:"DefaultCacheBehavior"`
	CacheBehaviors               *cacheBehaviorsXML `xml:"CacheBehaviors"`
	CustomErrorResponses         *customErrorsXML   `xml:"CustomErrorResponses"`
	Comment                      *string            `xml:"Comment"`
	Logging                      *loggingXML        `xml:"Logging"`
	PriceClass                   *string            `xml:"PriceClass"`
	Enabled                      *bool              `xml:"Enabled"`
	ViewerCertificate            *viewerCertXML     `xml:"ViewerCertificate"`
	Restrictions                 *restrictionsXML   `xml:"Restrictions"`
	WebACLID                     *string            `xml:"WebACLId"`
	HTTPVersion                  *string            `xml:"HttpVersion"`
	IsIPV6Enabled                *bool              `xml:"IsIPV6Enabled"`
	ContinuousDeploymentPolicyID *string            `xml:"ContinuousDeploymentPolicyId"`
	Staging                      *bool              `xml:"Staging"`
	// Unknown collects elements imgcdn does not serve (AnycastIpListId, TenantConfig, ...),
	// so that they are refused by name rather than dropped.
	Unknown []anyElement `xml:",any"`
}

// anyElement is an element the decoder does not know; only its name is kept.
type anyElement struct {
	XMLName xml.Name
}

type aliasesXML struct {
	Quantity int `xml:"Quantity"`
	Items    *struct {
		CNAME []string `xml:"CNAME"`
	} `xml:"Items"`
}

type originsXML struct {
	Quantity int `xml:"Quantity"`
	Items    *struct {
		Origin []originXML `xml:"Origin"`
	} `xml:"Items"`
}

type originXML struct {
	ID                    string           `xml:"Id"`
	DomainName            string           `xml:"DomainName"`
	OriginPath            *string          `xml:"OriginPath"`
	CustomHeaders         *customHdrsXML   `xml:"CustomHeaders"`
	S3OriginConfig        *s3OriginXML     `xml:"S3OriginConfig"`
	CustomOriginConfig    *customOriginXML `xml:"CustomOriginConfig"`
	ConnectionAttempts    *int             `xml:"ConnectionAttempts"`
	ConnectionTimeout     *int             `xml:"ConnectionTimeout"`
	OriginShield          *originShieldXML `xml:"OriginShield"`
	OriginAccessControlID *string          `xml:"OriginAccessControlId"`
	Unknown               []anyElement     `xml:",any"`
}

type customHdrsXML struct {
	Quantity int `xml:"Quantity"`
	Items    *struct {
		Header []struct {
			Name  string `xml:"HeaderName"`
			Value string `xml:"HeaderValue"`
		} `xml:"OriginCustomHeader"`
	} `xml:"Items"`
}

type s3OriginXML struct {
	OriginAccessIdentity string `xml:"OriginAccessIdentity"`
}

type customOriginXML struct {
	HTTPPort               *int       `xml:"HTTPPort"`
	HTTPSPort              *int       `xml:"HTTPSPort"`
	OriginProtocolPolicy   string     `xml:"OriginProtocolPolicy"`
	OriginSslProtocols     *sslProtos `xml:"OriginSslProtocols"`
	OriginReadTimeout      *int       `xml:"OriginReadTimeout"`
	OriginKeepaliveTimeout *int       `xml:"OriginKeepaliveTimeout"`
}

type sslProtos struct {
	Quantity int `xml:"Quantity"`
	Items    *struct {
		SslProtocol []string `xml:"SslProtocol"`
	} `xml:"Items"`
}

// originShieldXML is read so that a request enabling Origin Shield is refused rather than
// silently ignored: imgcdn has no regional tier.
type originShieldXML struct {
	Enabled bool `xml:"Enabled"`
}

type originGroupsXML struct {
	Quantity int `xml:"Quantity"`
	Items    *struct {
		OriginGroup []originGroupXML `xml:"OriginGroup"`
	} `xml:"Items"`
}

type originGroupXML struct {
	ID          string `xml:"Id"`
	StatusCodes struct {
		Quantity int `xml:"Quantity"`
		Items    *struct {
			StatusCode []int `xml:"StatusCode"`
		} `xml:"Items"`
	} `xml:"FailoverCriteria>StatusCodes"`
	Members struct {
		Quantity int `xml:"Quantity"`
		Items    *struct {
			Member []struct {
				OriginID string `xml:"OriginId"`
			} `xml:"OriginGroupMember"`
		} `xml:"Items"`
	} `xml:"Members"`
}

type cacheBehaviorsXML struct {
	Quantity int `xml:"Quantity"`
	Items    *struct {
		CacheBehavior []cacheBehaviorXML `xml:"CacheBehavior"`
	} `xml:"Items"`
}

// cacheBehaviorXML is a DefaultCacheBehavior (no PathPattern) or a CacheBehavior.
type cacheBehaviorXML struct {
	PathPattern                *string             `xml:"PathPattern"`
	TargetOriginID             string              `xml:"TargetOriginId"`
	TrustedSigners             *trustedSignersXML  `xml:"TrustedSigners"`
	TrustedKeyGroups           *trustedKeyGroupXML `xml:"TrustedKeyGroups"`
	ViewerProtocolPolicy       string              `xml:"ViewerProtocolPolicy"`
	AllowedMethods             *allowedMethodsXML  `xml:"AllowedMethods"`
	SmoothStreaming            *bool               `xml:"SmoothStreaming"`
	Compress                   *bool               `xml:"Compress"`
	LambdaFunctionAssociations *lambdaAssocsXML    `xml:"LambdaFunctionAssociations"`
	FunctionAssociations       *funcAssocsXML      `xml:"FunctionAssociations"`
	FieldLevelEncryptionID     *string             `xml:"FieldLevelEncryptionId"`
	CachePolicyID              *string             `xml:"CachePolicyId,omitempty"`
	OriginRequestPolicyID      *string             `xml:"OriginRequestPolicyId,omitempty"`
	ResponseHeadersPolicyID    *string             `xml:"ResponseHeadersPolicyId,omitempty"`
	ForwardedValues            *forwardedXML       `xml:"ForwardedValues"`
	MinTTL                     *int64              `xml:"MinTTL"`
	DefaultTTL                 *int64              `xml:"DefaultTTL"`
	MaxTTL                     *int64              `xml:"MaxTTL"`
	Unknown                    []anyElement        `xml:",any"`
}

type trustedSignersXML struct {
	Enabled  bool `xml:"Enabled"`
	Quantity int  `xml:"Quantity"`
	Items    *struct {
		Account []string `xml:"AwsAccountNumber"`
	} `xml:"Items"`
}

type trustedKeyGroupXML struct {
	Enabled  bool `xml:"Enabled"`
	Quantity int  `xml:"Quantity"`
	Items    *struct {
		KeyGroup []string `xml:"KeyGroup"`
	} `xml:"Items"`
}

type methodsXML struct {
	Quantity int `xml:"Quantity"`
	Items    *struct {
		Method []string `xml:"Method"`
	} `xml:"Items"`
}

type allowedMethodsXML struct {
	methodsXML
	CachedMethods *methodsXML `xml:"CachedMethods"`
}

type lambdaAssocsXML struct {
	Quantity int `xml:"Quantity"`
	Items    *struct {
		Assoc []struct {
			ARN         string `xml:"LambdaFunctionARN"`
			EventType   string `xml:"EventType"`
			IncludeBody bool   `xml:"IncludeBody"`
		} `xml:"LambdaFunctionAssociation"`
	} `xml:"Items"`
}

type funcAssocsXML struct {
	Quantity int `xml:"Quantity"`
	Items    *struct {
		Assoc []struct {
			ARN       string `xml:"FunctionARN"`
			EventType string `xml:"EventType"`
		} `xml:"FunctionAssociation"`
	} `xml:"Items"`
}

type forwardedXML struct {
	QueryString bool `xml:"QueryString"`
	Cookies     struct {
		Forward          string    `xml:"Forward"`
		WhitelistedNames *namesXML `xml:"WhitelistedNames"`
	} `xml:"Cookies"`
	Headers              *namesXML `xml:"Headers"`
	QueryStringCacheKeys *namesXML `xml:"QueryStringCacheKeys"`
}

type namesXML struct {
	Quantity int `xml:"Quantity"`
	Items    *struct {
		Name []string `xml:"Name"`
	} `xml:"Items"`
}

type customErrorsXML struct {
	Quantity int `xml:"Quantity"`
	Items    *struct {
		Response []struct {
			ErrorCode          int     `xml:"ErrorCode"`
			ResponsePagePath   *string `xml:"ResponsePagePath"`
			ResponseCode       *string `xml:"ResponseCode"`
			ErrorCachingMinTTL *int64  `xml:"ErrorCachingMinTTL"`
		} `xml:"CustomErrorResponse"`
	} `xml:"Items"`
}

type loggingXML struct {
	Enabled        bool   `xml:"Enabled"`
	IncludeCookies bool   `xml:"IncludeCookies"`
	Bucket         string `xml:"Bucket"`
	Prefix         string `xml:"Prefix"`
}

type viewerCertXML struct {
	CloudFrontDefaultCertificate *bool   `xml:"CloudFrontDefaultCertificate"`
	IAMCertificateID             *string `xml:"IAMCertificateId,omitempty"`
	ACMCertificateArn            *string `xml:"ACMCertificateArn,omitempty"`
	SSLSupportMethod             *string `xml:"SSLSupportMethod,omitempty"`
	MinimumProtocolVersion       *string `xml:"MinimumProtocolVersion,omitempty"`
	Certificate                  *string `xml:"Certificate,omitempty"`
	CertificateSource            *string `xml:"CertificateSource,omitempty"`
}

type restrictionsXML struct {
	GeoRestriction struct {
		RestrictionType string `xml:"RestrictionType"`
		Quantity        int    `xml:"Quantity"`
		Items           *struct {
			Location []string `xml:"Location"`
		} `xml:"Items"`
	} `xml:"GeoRestriction"`
}

// Request roots. The root's namespace is not checked, as clients differ.
type distConfigIn struct {
	XMLName xml.Name `xml:"DistributionConfig"`
	distConfigXML
}

type distConfigWithTagsIn struct {
	XMLName xml.Name       `xml:"DistributionConfigWithTags"`
	Config  *distConfigXML `xml:"DistributionConfig"`
	Tags    *struct {
		Items *struct {
			Tag []struct {
				Key   *string `xml:"Key"`
				Value string  `xml:"Value"`
			} `xml:"Tag"`
		} `xml:"Items"`
	} `xml:"Tags"`
}

// Response documents.

// distConfigDoc is a config as the root of a GetDistributionConfig answer.
type distConfigDoc struct {
	XMLName xml.Name `xml:"http://cloudfront.amazonaws.com/doc/2020-05-31/ DistributionConfig"`
	distConfigXML
}

// activeTrustedXML is ActiveTrustedSigners / ActiveTrustedKeyGroups: imgcdn has no signed
// URLs yet, so none are active.
type activeTrustedXML struct {
	Enabled  bool `xml:"Enabled"`
	Quantity int  `xml:"Quantity"`
}

type distributionXML struct {
	XMLName                       xml.Name         `xml:"http://cloudfront.amazonaws.com/doc/2020-05-31/ Distribution"`
	ID                            string           `xml:"Id"`
	ARN                           string           `xml:"ARN"`
	Status                        string           `xml:"Status"`
	LastModifiedTime              string           `xml:"LastModifiedTime"`
	InProgressInvalidationBatches int              `xml:"InProgressInvalidationBatches"`
	DomainName                    string           `xml:"DomainName"`
	ActiveTrustedSigners          activeTrustedXML `xml:"ActiveTrustedSigners"`
	ActiveTrustedKeyGroups        activeTrustedXML `xml:"ActiveTrustedKeyGroups"`
	Config                        distConfigXML    `xml:"DistributionConfig"`
}

type distListXML struct {
	XMLName     xml.Name `xml:"http://cloudfront.amazonaws.com/doc/2020-05-31/ DistributionList"`
	Marker      string   `xml:"Marker"`
	NextMarker  string   `xml:"NextMarker,omitempty"`
	MaxItems    int      `xml:"MaxItems"`
	IsTruncated bool     `xml:"IsTruncated"`
	Quantity    int      `xml:"Quantity"`
	Items       *struct {
		Summary []distSummaryXML `xml:"DistributionSummary"`
	} `xml:"Items"`
}

// distSummaryXML is a DistributionSummary: the config's fields that the model lists for it.
type distSummaryXML struct {
	ID                   string             `xml:"Id"`
	ARN                  string             `xml:"ARN"`
	ETag                 string             `xml:"ETag"`
	Status               string             `xml:"Status"`
	LastModifiedTime     string             `xml:"LastModifiedTime"`
	DomainName           string             `xml:"DomainName"`
	Aliases              *aliasesXML        `xml:"Aliases"`
	Origins              *originsXML        `xml:"Origins"`
	OriginGroups         *originGroupsXML   `xml:"OriginGroups"`
	DefaultCacheBehavior *cacheBehaviorXML  `xml:"DefaultCacheBehavior"`
	CacheBehaviors       *cacheBehaviorsXML `xml:"CacheBehaviors"`
	CustomErrorResponses *customErrorsXML   `xml:"CustomErrorResponses"`
	Comment              *string            `xml:"Comment"`
	PriceClass           *string            `xml:"PriceClass"`
	Enabled              *bool              `xml:"Enabled"`
	ViewerCertificate    *viewerCertXML     `xml:"ViewerCertificate"`
	Restrictions         *restrictionsXML   `xml:"Restrictions"`
	WebACLID             *string            `xml:"WebACLId"`
	HTTPVersion          *string            `xml:"HttpVersion"`
	IsIPV6Enabled        *bool              `xml:"IsIPV6Enabled"`
	Staging              *bool              `xml:"Staging"`
}
