//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"path"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	smithycbor "github.com/aws/smithy-go/encoding/cbor"
)

// motoGateway stands between the AWS clients and moto where a local endpoint
// needs help (see MOTO.md):
//
//   - CloudWatch bridge. Clients that speak CloudWatch's Smithy RPC v2 CBOR
//     protocol (the AWS SDK for Go v2 since cloudwatch v1.53.0, and so the aws
//     provider 6.x) reach moto, which serves CloudWatch in awsJson1_0 and
//     awsQuery only. Each CBOR request becomes the equivalent JSON request,
//     and moto's JSON answer goes back as CBOR, typed after the SDK's own
//     output shapes. Terraform reaches it through AWS_ENDPOINT_URL_CLOUDWATCH.
//   - Forward proxy. Some operations put the account in the host name
//     (S3 Control: {AccountId}.<endpoint>), which cannot resolve for an
//     endpoint at 127.0.0.1. Terraform sends those through HTTP_PROXY; the
//     gateway forwards them to moto with their Host header intact. (Go never
//     proxies requests to loopback addresses, so everything else still goes
//     straight to moto.)
//   - S3 tag-on-create. The aws provider 6.x sends a bucket's tags inside
//     CreateBucket (CreateBucketConfiguration.Tags); moto creates the bucket
//     and drops them. Terraform reaches S3 through the gateway
//     (AWS_ENDPOINT_URL_S3); after moto has created a bucket, the gateway
//     sets the tags that came with the request, with PutBucketTagging, as
//     AWS does in CreateBucket itself.
//   - EC2 revoke by rule ID. Revoking a security group rule ID that the group
//     no longer has is InvalidSecurityGroupRuleId.NotFound on AWS, which the
//     provider takes as "already deleted"; moto answers
//     InvalidPermission.NotFound, which fails the destroy. Terraform reaches
//     EC2 through the gateway (AWS_ENDPOINT_URL_EC2), which gives such an
//     answer AWS's code and counts it.
//
// Anything else is passed through to moto unchanged.
type motoGateway struct {
	endpoint string
	moto     *url.URL
	srv      *http.Server
	mu       sync.Mutex
	calls    map[string]int
	proxied  map[string]int
	// bucketTags: the tags each CreateBucket carried, by bucket.
	bucketTags map[string]map[string]string
	// unknownRuleIDs: the rule IDs whose revoke moto answered with
	// InvalidPermission.NotFound, answered as AWS does instead.
	unknownRuleIDs []string
	failures       []string
}

const cloudWatchTarget = "GraniteServiceVersion20100801"

func startMotoGateway(t *testing.T, motoEndpoint string) *motoGateway {
	t.Helper()
	target, err := url.Parse(motoEndpoint)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("gateway to moto: %v", err)
	}
	b := &motoGateway{endpoint: "http://" + l.Addr().String(), moto: target, calls: map[string]int{}, proxied: map[string]int{}, bucketTags: map[string]map[string]string{}}
	proxy := httputil.NewSingleHostReverseProxy(target)
	b.srv = &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("smithy-protocol") == "rpc-v2-cbor" {
				b.serveCBOR(w, r)
				return
			}
			if bucket, ok := createBucketRequest(r); ok {
				b.serveCreateBucket(w, r, proxy, bucket)
				return
			}
			if ruleIDs, ok := revokeByRuleIDRequest(r); ok {
				b.serveRevokeByRuleID(w, r, proxy, ruleIDs)
				return
			}
			if r.URL.IsAbs() {
				// A forward-proxy request; the Host header names the account.
				b.mu.Lock()
				b.proxied[r.URL.Hostname()]++
				b.mu.Unlock()
			}
			proxy.ServeHTTP(w, r)
		}),
		ReadHeaderTimeout: 30 * time.Second,
	}
	go func() { _ = b.srv.Serve(l) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = b.srv.Shutdown(ctx)
	})
	return b
}

// summary counts the CloudWatch calls bridged and the requests forwarded, by host.
func (b *motoGateway) summary() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var calls, hosts []string
	for op, n := range b.calls {
		calls = append(calls, fmt.Sprintf("%s x%d", op, n))
	}
	for h, n := range b.proxied {
		hosts = append(hosts, fmt.Sprintf("%s x%d", h, n))
	}
	return fmt.Sprintf("CloudWatch calls bridged: %s; requests forwarded as a proxy: %s; buckets tagged on create: %d; revokes of an unknown rule ID answered as AWS does: %d %v",
		strings.Join(sortedCopy(calls), ", "), strings.Join(sortedCopy(hosts), ", "), len(b.bucketTags), len(b.unknownRuleIDs), sortedCopy(b.unknownRuleIDs))
}

// revokedUnknownRuleIDs returns the rule IDs whose revoke the gateway
// answered with AWS's code for an unknown rule ID.
func (b *motoGateway) revokedUnknownRuleIDs() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return sortedCopy(b.unknownRuleIDs)
}

// failed returns the calls the bridge could not translate.
func (b *motoGateway) failed() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.failures...)
}

func (b *motoGateway) fail(w http.ResponseWriter, op string, status int, err error) {
	b.recordFailure(op, err)
	writeCBOR(w, status, smithycbor.Map{"__type": smithycbor.String("E2EBridgeError"), "message": smithycbor.String("e2e CloudWatch bridge to moto: " + err.Error())})
}

func writeCBOR(w http.ResponseWriter, status int, v smithycbor.Value) {
	body := smithycbor.Encode(v)
	w.Header().Set("smithy-protocol", "rpc-v2-cbor")
	w.Header().Set("Content-Type", "application/cbor")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func (b *motoGateway) serveCBOR(w http.ResponseWriter, r *http.Request) {
	op := path.Base(r.URL.Path) // /service/GraniteServiceVersion20100801/operation/<Op>
	b.mu.Lock()
	b.calls[op]++
	b.mu.Unlock()
	in, err := io.ReadAll(r.Body)
	if err != nil {
		b.fail(w, op, http.StatusBadRequest, err)
		return
	}
	var reqJSON any = map[string]any{}
	if len(in) > 0 {
		v, err := smithycbor.Decode(in)
		if err != nil {
			b.fail(w, op, http.StatusBadRequest, fmt.Errorf("request body: %w", err))
			return
		}
		reqJSON = cborToJSON(v)
	}
	body, err := json.Marshal(reqJSON)
	if err != nil {
		b.fail(w, op, http.StatusBadRequest, err)
		return
	}
	req, err := http.NewRequestWithContext(r.Context(), http.MethodPost, b.moto.String()+"/", bytes.NewReader(body))
	if err != nil {
		b.fail(w, op, http.StatusInternalServerError, err)
		return
	}
	// moto reads the account (from the access key) and the region and service
	// (from the credential scope) out of the Authorization header; it does not
	// verify the signature.
	for _, h := range []string{"Authorization", "X-Amz-Date", "X-Amz-Security-Token", "User-Agent"} {
		if v := r.Header.Get(h); v != "" {
			req.Header.Set(h, v)
		}
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", cloudWatchTarget+"."+op)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.fail(w, op, http.StatusBadGateway, err)
		return
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		b.fail(w, op, http.StatusBadGateway, err)
		return
	}
	if q := resp.Header.Get("x-amzn-query-error"); q != "" {
		w.Header().Set("x-amzn-query-error", q)
	}
	var decoded any = map[string]any{}
	if len(bytes.TrimSpace(out)) > 0 {
		dec := json.NewDecoder(bytes.NewReader(out))
		dec.UseNumber()
		if err := dec.Decode(&decoded); err != nil {
			b.fail(w, op, http.StatusBadGateway, fmt.Errorf("moto answered %s with %d and a body that is not JSON: %.200q", op, resp.StatusCode, out))
			return
		}
	}
	if resp.StatusCode != http.StatusOK {
		writeCBOR(w, resp.StatusCode, jsonToCBOR(decoded, nil))
		return
	}
	writeCBOR(w, http.StatusOK, jsonToCBOR(decoded, cloudWatchOutputType(op)))
}

// cloudWatchOutputType is the SDK's output struct of an operation.
func cloudWatchOutputType(op string) reflect.Type {
	m, ok := reflect.TypeOf(&cloudwatch.Client{}).MethodByName(op)
	if !ok || m.Type.NumOut() != 2 {
		return nil
	}
	return m.Type.Out(0)
}

// cborToJSON turns a decoded CBOR value into one encoding/json writes the way
// awsJson1_0 expects: timestamps as epoch seconds, blobs as base64.
func cborToJSON(v smithycbor.Value) any {
	switch x := v.(type) {
	case smithycbor.Map:
		m := map[string]any{}
		for k, e := range x {
			if _, isNil := e.(*smithycbor.Nil); isNil {
				continue
			}
			m[k] = cborToJSON(e)
		}
		return m
	case smithycbor.List:
		l := make([]any, 0, len(x))
		for _, e := range x {
			l = append(l, cborToJSON(e))
		}
		return l
	case smithycbor.String:
		return string(x)
	case smithycbor.Uint:
		return uint64(x)
	case smithycbor.NegInt:
		return -int64(x)
	case smithycbor.Float32:
		return float64(x)
	case smithycbor.Float64:
		return float64(x)
	case smithycbor.Bool:
		return bool(x)
	case smithycbor.Slice:
		return base64.StdEncoding.EncodeToString(x)
	case *smithycbor.Tag:
		if tm, err := smithycbor.AsTime(x); err == nil {
			return float64(tm.UnixMilli()) / 1e3
		}
		return cborToJSON(x.Value)
	}
	return nil
}

var timeType = reflect.TypeOf(time.Time{})

// jsonToCBOR turns a JSON value into CBOR, typed after t (the SDK's shape)
// where t is known: timestamps become epoch tags, numbers integers or floats
// as the shape says.
func jsonToCBOR(v any, t reflect.Type) smithycbor.Value {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch x := v.(type) {
	case nil:
		return &smithycbor.Nil{}
	case bool:
		return smithycbor.Bool(x)
	case string:
		if t == timeType {
			if tm, err := time.Parse(time.RFC3339Nano, x); err == nil {
				return &smithycbor.Tag{ID: 1, Value: smithycbor.Float64(float64(tm.UnixMilli()) / 1e3)}
			}
		}
		return smithycbor.String(x)
	case json.Number:
		f, _ := x.Float64()
		switch {
		case t == timeType:
			return &smithycbor.Tag{ID: 1, Value: smithycbor.Float64(f)}
		case t != nil && (t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64):
			return smithycbor.Float64(f)
		case t != nil && t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64, t == nil && !strings.ContainsAny(x.String(), ".eE"):
			n := int64(math.Trunc(f))
			if i, err := x.Int64(); err == nil {
				n = i
			}
			if n < 0 {
				return smithycbor.NegInt(uint64(-n))
			}
			return smithycbor.Uint(uint64(n))
		}
		return smithycbor.Float64(f)
	case []any:
		var et reflect.Type
		if t != nil && t.Kind() == reflect.Slice {
			et = t.Elem()
		}
		l := smithycbor.List{}
		for _, e := range x {
			l = append(l, jsonToCBOR(e, et))
		}
		return l
	case map[string]any:
		m := smithycbor.Map{}
		for k, e := range x {
			var ft reflect.Type
			if t != nil {
				switch t.Kind() {
				case reflect.Struct:
					if f, ok := t.FieldByName(k); ok {
						ft = f.Type
					}
				case reflect.Map:
					ft = t.Elem()
				}
			}
			m[k] = jsonToCBOR(e, ft)
		}
		return m
	}
	return &smithycbor.Nil{}
}

// createBucketRequest recognises a path-style S3 CreateBucket: PUT /<bucket>
// with no sub-resource, signed for S3.
func createBucketRequest(r *http.Request) (string, bool) {
	if r.Method != http.MethodPut || r.URL.RawQuery != "" || r.URL.IsAbs() || !strings.Contains(r.Header.Get("Authorization"), "/s3/aws4_request") {
		return "", false
	}
	bucket := strings.Trim(r.URL.Path, "/")
	if bucket == "" || strings.Contains(bucket, "/") {
		return "", false
	}
	return bucket, true
}

type s3Tag struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

// serveCreateBucket forwards a CreateBucket to moto and then sets the tags
// the request carried, which moto ignores (MOTO.md).
func (b *motoGateway) serveCreateBucket(w http.ResponseWriter, r *http.Request, proxy *httputil.ReverseProxy, bucket string) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		b.fail(w, "CreateBucket", http.StatusBadRequest, err)
		return
	}
	var cfg struct {
		Tags []s3Tag `xml:"Tags>Tag"`
	}
	if len(bytes.TrimSpace(body)) > 0 {
		if err := xml.Unmarshal(body, &cfg); err != nil {
			b.fail(w, "CreateBucket", http.StatusBadRequest, fmt.Errorf("CreateBucketConfiguration of %s: %w", bucket, err))
			return
		}
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	proxy.ServeHTTP(rec, r)
	if rec.status != http.StatusOK || len(cfg.Tags) == 0 {
		return
	}
	var tagging bytes.Buffer
	tagging.WriteString(`<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet>`)
	tags := map[string]string{}
	for _, t := range cfg.Tags {
		tags[t.Key] = t.Value
		tagging.WriteString("<Tag><Key>")
		_ = xml.EscapeText(&tagging, []byte(t.Key))
		tagging.WriteString("</Key><Value>")
		_ = xml.EscapeText(&tagging, []byte(t.Value))
		tagging.WriteString("</Value></Tag>")
	}
	tagging.WriteString("</TagSet></Tagging>")
	req, err := http.NewRequestWithContext(r.Context(), http.MethodPut, b.moto.String()+"/"+url.PathEscape(bucket)+"?tagging", bytes.NewReader(tagging.Bytes()))
	if err != nil {
		b.recordFailure("CreateBucket tags", err)
		return
	}
	for _, h := range []string{"Authorization", "X-Amz-Date", "X-Amz-Security-Token"} {
		if v := r.Header.Get(h); v != "" {
			req.Header.Set(h, v)
		}
	}
	sum := md5.Sum(tagging.Bytes())
	req.Header.Set("Content-MD5", base64.StdEncoding.EncodeToString(sum[:]))
	req.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
	req.Header.Set("Content-Type", "application/xml")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.recordFailure("CreateBucket tags", fmt.Errorf("PutBucketTagging %s: %w", bucket, err))
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		msg, _ := io.ReadAll(resp.Body)
		b.recordFailure("CreateBucket tags", fmt.Errorf("PutBucketTagging %s: %s: %.300s", bucket, resp.Status, msg))
		return
	}
	b.mu.Lock()
	b.bucketTags[bucket] = tags
	b.mu.Unlock()
}

// revokeByRuleIDRequest recognises an EC2 RevokeSecurityGroupIngress or
// RevokeSecurityGroupEgress that names the rules by ID (SecurityGroupRuleId.N),
// and returns those IDs. The body is read and put back.
func revokeByRuleIDRequest(r *http.Request) ([]string, bool) {
	if r.Method != http.MethodPost || r.URL.IsAbs() || !strings.Contains(r.Header.Get("Authorization"), "/ec2/aws4_request") {
		return nil, false
	}
	body, err := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return nil, false
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, false
	}
	if a := form.Get("Action"); a != "RevokeSecurityGroupIngress" && a != "RevokeSecurityGroupEgress" {
		return nil, false
	}
	var ids []string
	for k, v := range form {
		if strings.HasPrefix(k, "SecurityGroupRuleId.") {
			ids = append(ids, v...)
		}
	}
	return sortedCopy(ids), len(ids) > 0
}

// ec2ErrorResponse is EC2's query-protocol error document.
type ec2ErrorResponse struct {
	XMLName xml.Name `xml:"Response"`
	Errors  []struct {
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	} `xml:"Errors>Error"`
	RequestID string `xml:"RequestID"`
}

// serveRevokeByRuleID forwards a revoke by rule ID to moto. If moto answers
// InvalidPermission.NotFound, the rule ID is unknown to the group, and the
// answer goes back with the code AWS gives an unknown rule ID (MOTO.md).
func (b *motoGateway) serveRevokeByRuleID(w http.ResponseWriter, r *http.Request, proxy *httputil.ReverseProxy, ruleIDs []string) {
	rec := &bufferedResponse{header: http.Header{}, status: http.StatusOK}
	proxy.ServeHTTP(rec, r)
	var e ec2ErrorResponse
	if rec.status == http.StatusBadRequest && xml.Unmarshal(rec.body.Bytes(), &e) == nil && len(e.Errors) == 1 && e.Errors[0].Code == "InvalidPermission.NotFound" {
		b.mu.Lock()
		b.unknownRuleIDs = append(b.unknownRuleIDs, ruleIDs...)
		b.mu.Unlock()
		var out bytes.Buffer
		out.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<Response><Errors><Error><Code>InvalidSecurityGroupRuleId.NotFound</Code><Message>")
		_ = xml.EscapeText(&out, []byte(fmt.Sprintf("The security group rule ID '%s' does not exist", strings.Join(ruleIDs, ", "))))
		out.WriteString("</Message></Error></Errors><RequestID>")
		_ = xml.EscapeText(&out, []byte(e.RequestID))
		out.WriteString("</RequestID></Response>")
		rec.body = out
		rec.header.Del("Content-Length")
	}
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.status)
	_, _ = w.Write(rec.body.Bytes())
}

// bufferedResponse holds a whole response so that it can be changed before it is sent.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header         { return b.header }
func (b *bufferedResponse) Write(p []byte) (int, error) { return b.body.Write(p) }
func (b *bufferedResponse) WriteHeader(code int)        { b.status = code }

func (b *motoGateway) recordFailure(op string, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.failures = append(b.failures, fmt.Sprintf("%s: %v", op, err))
}

// statusRecorder remembers the status code a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection's Flusher.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }
