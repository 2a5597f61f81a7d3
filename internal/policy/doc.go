// Package policy parses, validates and evaluates S3 bucket policies, and decides whether a policy
// is "public" in the sense of S3 Block Public Access.
//
// It is a domain package: standard library only, no HTTP, no XML and no S3 error codes. The S3
// layer parses a policy once with Parse when PutBucketPolicy stores it (a *MalformedError becomes
// the MalformedPolicy error), keeps the *Policy with the bucket, and for every request builds a
// Request and calls Evaluate. The account-owner rule (root credentials are allowed unless an
// explicit Deny applies to them), Block Public Access and ACLs are the S3 layer's business; this
// package only answers what the policy document says.
//
// The semantics follow AWS's documentation, cited where each rule is implemented:
//
//   - IAM JSON policy elements reference (Version, Id, Statement, Sid, Effect, Principal,
//     NotPrincipal, Action, NotAction, Resource, NotResource, Condition):
//     https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
//   - Policy evaluation logic (explicit Deny beats Allow beats the implicit deny):
//     https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
//   - Condition operators, ...IfExists and Null:
//     https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
//   - Conditions with multiple keys or values, ForAnyValue/ForAllValues:
//     https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html
//   - Policy variables: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
//   - The meaning of "public" (Block Public Access):
//     https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
//   - Actions, resources and condition keys for Amazon S3:
//     https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
//
// Everything a request needs is compiled at Parse time (action sets as bitmaps, wildcard
// patterns as token lists, CIDRs as netip.Prefix, dates and numbers parsed), so Evaluate does not
// allocate for policies without policy variables. A *Policy is immutable and safe for
// concurrent use.
package policy
