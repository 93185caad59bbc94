// Package testkit holds helpers that the tests of several packages share.
// Only tests import it.
package testkit

// Must returns v, and panics on an error that a test's own input should
// never cause, so that a call fits in an expression:
// testkit.Must(rules.CheckTopology(topo)).
func Must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
