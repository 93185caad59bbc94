package eval

import (
	"reflect"
	"strings"
	"testing"

	"github.com/segmentedml/terraform-provider-segmented/internal/audit"
)

// policyCases are shared by the table tests and the fuzz seeds.
var policyCases = []struct {
	name    string
	doc     string
	want    Policy
	wantErr string // a substring of the error, "" for success
}{
	{
		name: "trust policy, statement as an object, AWS as a string",
		doc:  `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}}`,
		want: Policy{Version: "2012-10-17", Statements: []Statement{{
			Effect:     "Allow",
			Principals: []PolicyPrincipal{{"AWS", "arn:aws:iam::111122223333:root"}},
			Actions:    []string{"sts:AssumeRole"},
		}}},
	},
	{
		name: "lists, several types in document order, Id tolerated",
		doc: `{"Id":"key-policy","Statement":[{"Sid":"a","Effect":"Allow",
			"Principal":{"Service":["lambda.amazonaws.com","ec2.amazonaws.com"],"AWS":["123456789012","arn:aws:iam::444455556666:role/x"]},
			"Action":["kms:Decrypt","kms:Encrypt"],"Resource":"*"}]}`,
		want: Policy{Statements: []Statement{{
			Sid: "a", Effect: "Allow",
			Principals: []PolicyPrincipal{
				{"Service", "lambda.amazonaws.com"}, {"Service", "ec2.amazonaws.com"},
				{"AWS", "123456789012"}, {"AWS", "arn:aws:iam::444455556666:role/x"},
			},
			Actions:   []string{"kms:Decrypt", "kms:Encrypt"},
			Resources: []string{"*"},
		}}},
	},
	{
		name: "Principal star with a condition; conditions in document order",
		doc: `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*",
			"Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333","aws:SourceVpce":["vpce-1"]},"Bool":{"aws:SecureTransport":true},"NumericLessThan":{"s3:max-keys":10}}}]}`,
		want: Policy{Statements: []Statement{{
			Effect: "Allow", Principals: []PolicyPrincipal{{"*", "*"}},
			Actions: []string{"s3:GetObject"}, Resources: []string{"arn:aws:s3:::b/*"},
			Conditions: []Condition{
				{"StringEquals", "aws:PrincipalAccount", []string{"111122223333"}},
				{"StringEquals", "aws:SourceVpce", []string{"vpce-1"}},
				{"Bool", "aws:SecureTransport", []string{"true"}},
				{"NumericLessThan", "s3:max-keys", []string{"10"}},
			},
		}}},
	},
	{
		name: "lower-case element names and effect, ForAnyValue with a list",
		doc: `{"statement":[{"effect":"allow","principal":{"aws":"*"},"notaction":"iam:*","notresource":["arn:aws:iam::*:role/admin"],
			"condition":{"ForAnyValue:StringEquals":{"aws:principalaccount":["111122223333","444455556666"]}}}]}`,
		want: Policy{Statements: []Statement{{
			Effect: "allow", Principals: []PolicyPrincipal{{"AWS", "*"}},
			Actions: []string{"iam:*"}, NotAction: true,
			Resources: []string{"arn:aws:iam::*:role/admin"}, NotResource: true,
			Conditions: []Condition{{"ForAnyValue:StringEquals", "aws:principalaccount", []string{"111122223333", "444455556666"}}},
		}}},
	},
	{
		name: "NotPrincipal, account ID as a JSON number",
		doc:  `{"Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":[123456789012]},"Action":"*","Resource":"*"}]}`,
		want: Policy{Statements: []Statement{{
			Effect: "Deny", Principals: []PolicyPrincipal{{"AWS", "123456789012"}}, NotPrincipal: true,
			Actions: []string{"*"}, Resources: []string{"*"},
		}}},
	},
	{name: "empty statement list", doc: `{"Version":"2012-10-17","Statement":[]}`, want: Policy{Version: "2012-10-17"}},
	{name: "empty document", doc: "  ", wantErr: "empty document"},
	{name: "not JSON", doc: `{"Statement":`, wantErr: "not JSON"},
	{name: "trailing data", doc: `{"Statement":[]} {}`, wantErr: "not JSON"},
	{name: "not an object", doc: `[]`, wantErr: "document: want an object, got a list"},
	{name: "no statement", doc: `{"Version":"2012-10-17"}`, wantErr: "Statement: missing"},
	{name: "statement a string", doc: `{"Statement":"x"}`, wantErr: "Statement: want an object or a list, got a string"},
	{name: "statement item a list", doc: `{"Statement":[[]]}`, wantErr: "Statement[0]: want an object, got a list"},
	{name: "version a number", doc: `{"Version":2012,"Statement":[]}`, wantErr: "Version: want a string, got a number"},
	{name: "missing effect", doc: `{"Statement":[{"Principal":"*","Action":"*"}]}`, wantErr: "Statement[0].Effect: missing"},
	{name: "bad effect", doc: `{"Statement":[{"Effect":"Permit"}]}`, wantErr: `Statement[0].Effect: want Allow or Deny, got "Permit"`},
	{name: "unknown element", doc: `{"Statement":[{"Effect":"Allow","Principals":"*"}]}`, wantErr: `Statement[0]: unknown element "Principals"`},
	{name: "principal and notprincipal", doc: `{"Statement":[{"Effect":"Allow","Principal":"*","NotPrincipal":"*"}]}`, wantErr: "Statement[0]: both Principal and NotPrincipal"},
	{name: "action and notaction", doc: `{"Statement":[{"Effect":"Allow","NotAction":"a","Action":"b"}]}`, wantErr: "both NotAction and Action"},
	{name: "duplicate element", doc: `{"Statement":[{"Effect":"Allow","effect":"Deny"}]}`, wantErr: `"effect" appears twice`},
	{name: "principal a string ARN", doc: `{"Statement":[{"Effect":"Allow","Principal":"arn:aws:iam::111122223333:root"}]}`, wantErr: `Statement[0].Principal: a principal written as a string must be "*"`},
	{name: "principal a list", doc: `{"Statement":[{},{"Effect":"Allow","Principal":["*"]}]}`, wantErr: "Statement[0].Effect: missing"},
	{name: "principal a list, second statement", doc: `{"Statement":[{"Effect":"Deny"},{"Effect":"Allow","Principal":["*"]}]}`, wantErr: "Statement[1].Principal: want \"*\" or an object of principal types, got a list"},
	{name: "unknown principal type", doc: `{"Statement":[{"Effect":"Allow","Principal":{"IAM":"x"}}]}`, wantErr: `Statement[0].Principal: unknown principal type "IAM"`},
	{name: "principal value an object", doc: `{"Statement":[{"Effect":"Allow","Principal":{"AWS":["a",{"b":1}]}}]}`, wantErr: "Statement[0].Principal.AWS[1]: want a string or number, got an object"},
	{name: "principal value a boolean", doc: `{"Statement":[{"Effect":"Allow","Principal":{"Service":true}}]}`, wantErr: "Statement[0].Principal.Service: want a string or number, got a boolean"},
	{name: "empty principal", doc: `{"Statement":[{"Effect":"Allow","Principal":{"AWS":[""]}}]}`, wantErr: "Statement[0].Principal.AWS: empty principal"},
	{name: "action a number", doc: `{"Statement":[{"Effect":"Allow","Action":["s3:*",3]}]}`, wantErr: "Statement[0].Action[1]: want a string, got a number"},
	{name: "resource null", doc: `{"Statement":[{"Effect":"Allow","Resource":null}]}`, wantErr: "Statement[0].Resource: want a string, got null"},
	{name: "condition a list", doc: `{"Statement":[{"Effect":"Allow","Condition":[]}]}`, wantErr: "Statement[0].Condition: want an object, got a list"},
	{name: "condition operator a string", doc: `{"Statement":[{"Effect":"Allow","Condition":{"StringEquals":"x"}}]}`, wantErr: "Statement[0].Condition.StringEquals: want an object, got a string"},
	{name: "condition value an object", doc: `{"Statement":[{"Effect":"Allow","Condition":{"StringEquals":{"aws:SourceAccount":[{"x":1}]}}}]}`, wantErr: "Statement[0].Condition.StringEquals.aws:SourceAccount[0]: want a string, number or boolean, got an object"},
	{name: "condition value null", doc: `{"Statement":[{"Effect":"Allow","Condition":{"Null":{"aws:x":null}}}]}`, wantErr: "Statement[0].Condition.Null.aws:x: want a string, number or boolean, got null"},
	{name: "sid a number", doc: `{"Statement":{"Sid":1,"Effect":"Allow"}}`, wantErr: "Statement.Sid: want a string, got a number"},
}

func TestParseAWSPolicy(t *testing.T) {
	for _, tc := range policyCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseAWSPolicy(tc.doc)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %#v\nwant %#v", got, tc.want)
			}
		})
	}
}

func TestGrantees(t *testing.T) {
	p := func(text, account, cond string) audit.Principal {
		return audit.Principal{Text: text, Account: account, Condition: cond}
	}
	tests := []struct {
		name string
		doc  string
		want []audit.Principal
	}{
		{
			name: "accounts from every form",
			doc: `{"Statement":[{"Effect":"Allow","Principal":{"AWS":[
				"arn:aws:iam::111122223333:root","123456789012","arn:aws:sts::222233334444:assumed-role/r/session",
				"arn:aws-cn:iam::333344445555:user/u","arn:aws-us-gov:iam::444455556666:role/path/r","AROAEXAMPLEUNIQUEID"]}}]}`,
			want: []audit.Principal{
				p("arn:aws:iam::111122223333:root", "111122223333", ""),
				p("123456789012", "123456789012", ""),
				p("arn:aws:sts::222233334444:assumed-role/r/session", "222233334444", ""),
				p("arn:aws-cn:iam::333344445555:user/u", "333344445555", ""),
				p("arn:aws-us-gov:iam::444455556666:role/path/r", "444455556666", ""),
				p("AROAEXAMPLEUNIQUEID", "", ""),
			},
		},
		{
			name: "service and federated",
			doc: `{"Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com",
				"Federated":["arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com","cognito-identity.amazonaws.com"],
				"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}}]}`,
			want: []audit.Principal{
				p("ecs-tasks.amazonaws.com", "", ""),
				p("arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com", "111122223333", ""),
				p("cognito-identity.amazonaws.com", "", ""),
				p("79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be", "", ""),
			},
		},
		{
			name: "AWS star narrowed by aws:PrincipalAccount",
			doc: `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:Decrypt","Resource":"*",
				"Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}}]}`,
			want: []audit.Principal{p("*", "", ""), p("111122223333", "111122223333", "aws:PrincipalAccount")},
		},
		{
			name: "lower-case keys, ForAnyValue lists, numbers, ARN keys, ignored keys and operators",
			doc: `{"Statement":[{"Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},
				"Condition":{
					"ForAnyValue:StringEquals":{"aws:sourceaccount":["111122223333",444455556666]},
					"ArnLike":{"AWS:SourceArn":"arn:aws:sns:eu-west-1:555566667777:topic","aws:principalarn":"arn:aws:iam::*:role/x"},
					"StringLikeIfExists":{"kms:CallerAccount":"6666777788*"},
					"StringNotEquals":{"aws:PrincipalAccount":"999999999999"},
					"StringEquals":{"aws:PrincipalOrgID":"o-abc","aws:ResourceAccount":"888888888888","aws:SourceOwner":"777777777777"},
					"Bool":{"aws:SecureTransport":false}}}]}`,
			want: []audit.Principal{
				p("sns.amazonaws.com", "", ""),
				p("111122223333", "111122223333", "aws:sourceaccount"),
				p("444455556666", "444455556666", "aws:sourceaccount"),
				p("arn:aws:sns:eu-west-1:555566667777:topic", "555566667777", "AWS:SourceArn"),
				p("arn:aws:iam::*:role/x", "", "aws:principalarn"),
				p("6666777788*", "", "kms:CallerAccount"),
				p("777777777777", "777777777777", "aws:SourceOwner"),
			},
		},
		{
			name: "deny grants nothing; NotPrincipal allow is anyone; repeats dropped",
			doc: `{"Statement":[
				{"Effect":"Deny","Principal":"*","Action":"*"},
				{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"*"},
				{"Effect":"Allow","Principal":"*","Action":"*"},
				{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}}]}`,
			want: []audit.Principal{p("*", "", "")},
		},
		{name: "empty", doc: `{"Statement":[]}`, want: nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pol, err := ParseAWSPolicy(tc.doc)
			if err != nil {
				t.Fatal(err)
			}
			if got := pol.Grantees(); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %#v\nwant %#v", got, tc.want)
			}
		})
	}
}

func TestGranteeDetails(t *testing.T) {
	pol, err := ParseAWSPolicy(`{"Statement":[
		{"Sid":"deny","Effect":"Deny","Principal":"*"},
		{"Sid":"np","Effect":"Allow","NotPrincipal":{"AWS":["arn:aws:iam::111122223333:root","arn:aws:iam::111122223333:role/r"]}},
		{"Sid":"c","Effect":"Allow","Principal":"*","Condition":{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::444455556666:role/r"}}}]}`)
	if err != nil {
		t.Fatal(err)
	}
	want := []Grantee{
		{Principal: audit.Principal{Text: "*"}, Statement: 1, Sid: "np", Type: "*",
			Note: "NotPrincipal: everyone except arn:aws:iam::111122223333:root, arn:aws:iam::111122223333:role/r"},
		{Principal: audit.Principal{Text: "*"}, Statement: 2, Sid: "c", Type: "*"},
		{Principal: audit.Principal{Text: "arn:aws:iam::444455556666:role/r", Account: "444455556666", Condition: "aws:PrincipalArn"},
			Statement: 2, Sid: "c", Operator: "ArnEquals"},
	}
	if got := pol.GranteeDetails(); !reflect.DeepEqual(got, want) {
		t.Errorf("got  %#v\nwant %#v", got, want)
	}
	if got := pol.Statements[2].Grantees(); len(got) != 2 || got[1].Condition != "aws:PrincipalArn" {
		t.Errorf("Statement.Grantees = %#v", got)
	}
}

func TestAWSAccount(t *testing.T) {
	tests := map[string]string{
		"111122223333":                                    "111122223333",
		" 111122223333 ":                                  "111122223333",
		"11112222333":                                     "",
		"1111222233334":                                   "",
		"arn:aws:iam::111122223333:root":                  "111122223333",
		"arn:aws:iam::111122223333:role/a/b":              "111122223333",
		"arn:aws:sts::111122223333:assumed-role/r/s":      "111122223333",
		"arn:aws:sts::111122223333:federated-user/u":      "111122223333",
		"arn:aws:kms:eu-west-1:111122223333:key/abcd":     "111122223333",
		"arn:aws-cn:kms:cn-north-1:111122223333:alias/x":  "111122223333",
		"arn:aws-us-gov:iam::111122223333:role/x":         "111122223333",
		"arn:aws-iso-b:iam::111122223333:role/x":          "111122223333",
		"arn:aws:s3:us-east-1:111122223333:accesspoint/a": "111122223333",
		"ARN:aws:iam::111122223333:root":                  "111122223333",
		"arn:aws:s3:::bucket/key":                         "",
		"arn:aws:iam::aws:policy/ReadOnlyAccess":          "",
		"arn:aws:iam::*:role/x":                           "",
		"arn:aws:iam::${aws:PrincipalAccount}:role/x":     "",
		"arn:gcp:iam::111122223333:root":                  "",
		"arn:aws::::111122223333":                         "",
		"arn:aws:iam::111122223333":                       "",
		"*":                                               "",
		"":                                                "",
	}
	for in, want := range tests {
		if got := AWSAccount(in); got != want {
			t.Errorf("AWSAccount(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParseAWSPolicy(f *testing.F) {
	for _, tc := range policyCases {
		f.Add(tc.doc)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		p, err := ParseAWSPolicy(doc)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "aws policy: ") {
				t.Errorf("error %q lacks its prefix", err)
			}
			return
		}
		g1, g2 := p.Grantees(), p.Grantees()
		if !reflect.DeepEqual(g1, g2) {
			t.Errorf("Grantees not deterministic: %v vs %v", g1, g2)
		}
		for _, s := range p.Statements {
			if !s.Allow() && !strings.EqualFold(s.Effect, "Deny") {
				t.Errorf("effect %q accepted", s.Effect)
			}
		}
		for _, g := range g1 {
			if g.Account != "" && !isAccountID(g.Account) {
				t.Errorf("account %q is not 12 digits", g.Account)
			}
		}
		// Parsing again gives the same policy.
		if q, err := ParseAWSPolicy(doc); err != nil || !reflect.DeepEqual(p, q) {
			t.Errorf("second parse differs: %v", err)
		}
	})
}
