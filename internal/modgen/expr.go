package modgen

import (
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// expr is an HCL expression as hclwrite tokens. The helpers below build
// expressions from parts, so that no HCL is ever assembled from strings.
type expr = hclwrite.Tokens

func token(t hclsyntax.TokenType, s string) *hclwrite.Token {
	return &hclwrite.Token{Type: t, Bytes: []byte(s)}
}

// join concatenates expressions.
func join(parts ...expr) expr {
	var out expr
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// ref is a reference such as var.blueprint.network: identifiers joined by dots.
func ref(dotted string) expr {
	var out expr
	for i, name := range strings.Split(dotted, ".") {
		if i > 0 {
			out = append(out, token(hclsyntax.TokenDot, "."))
		}
		out = append(out, token(hclsyntax.TokenIdent, name))
	}
	return out
}

// attr is base.name.name...
func attr(base expr, names ...string) expr {
	out := join(base)
	for _, n := range names {
		out = append(out, token(hclsyntax.TokenDot, "."), token(hclsyntax.TokenIdent, n))
	}
	return out
}

// index is base[key].
func index(base, key expr) expr {
	return join(base, expr{token(hclsyntax.TokenOBrack, "[")}, key, expr{token(hclsyntax.TokenCBrack, "]")})
}

// str is a string literal.
func str(s string) expr { return hclwrite.TokensForValue(cty.StringVal(s)) }

// num is a number literal.
func num(n int) expr { return hclwrite.TokensForValue(cty.NumberIntVal(int64(n))) }

// boolean is true or false.
func boolean(b bool) expr { return hclwrite.TokensForValue(cty.BoolVal(b)) }

// null is the null literal.
func null() expr { return expr{token(hclsyntax.TokenIdent, "null")} }

// call is name(args...).
func call(name string, args ...expr) expr { return hclwrite.TokensForFunctionCall(name, args...) }

// expand is call with its last argument expanded: name(args...).
func expand(name string, args ...expr) expr {
	out := call(name, args...)
	// Insert the ellipsis before the closing parenthesis.
	closing := out[len(out)-1]
	return append(append(out[:len(out)-1:len(out)-1], token(hclsyntax.TokenEllipsis, "...")), closing)
}

// tuple is [elems...].
func tuple(elems ...expr) expr { return hclwrite.TokensForTuple(elems) }

// field is one attribute of an object literal.
type field struct {
	name  string
	value expr
}

// object is { name = value, ... } in the given order. Names that are not
// identifiers are quoted.
func object(fields ...field) expr {
	attrs := make([]hclwrite.ObjectAttrTokens, 0, len(fields))
	for _, f := range fields {
		name := hclwrite.TokensForIdentifier(f.name)
		if !hclsyntax.ValidIdentifier(f.name) {
			name = str(f.name)
		}
		attrs = append(attrs, hclwrite.ObjectAttrTokens{Name: name, Value: f.value})
	}
	return hclwrite.TokensForObject(attrs)
}

// binary is a op b.
func binary(a expr, op hclsyntax.TokenType, symbol string, b expr) expr {
	return join(a, expr{token(op, symbol)}, b)
}

func equal(a, b expr) expr    { return binary(a, hclsyntax.TokenEqualOp, "==", b) }
func notEqual(a, b expr) expr { return binary(a, hclsyntax.TokenNotEqual, "!=", b) }
func and(a, b expr) expr      { return binary(a, hclsyntax.TokenAnd, "&&", b) }

// cond is c ? a : b.
func cond(c, a, b expr) expr {
	return join(c, expr{token(hclsyntax.TokenQuestion, "?")}, a, expr{token(hclsyntax.TokenColon, ":")}, b)
}

// Brackets of the two kinds of for expression, fresh tokens each time.
func objectFor() [2]*hclwrite.Token {
	return [2]*hclwrite.Token{token(hclsyntax.TokenOBrace, "{"), token(hclsyntax.TokenCBrace, "}")}
}

func tupleFor() [2]*hclwrite.Token {
	return [2]*hclwrite.Token{token(hclsyntax.TokenOBrack, "["), token(hclsyntax.TokenCBrack, "]")}
}

// forExpr builds a for expression: open for iterators in coll : head
// [=> value] [if filter] close. value and filter may be nil.
func forExpr(brackets [2]*hclwrite.Token, iterators []string, coll, head, value, filter expr) expr {
	out := expr{brackets[0], token(hclsyntax.TokenIdent, "for")}
	for i, it := range iterators {
		if i > 0 {
			out = append(out, token(hclsyntax.TokenComma, ","))
		}
		out = append(out, token(hclsyntax.TokenIdent, it))
	}
	out = join(out, expr{token(hclsyntax.TokenIdent, "in")}, coll, expr{token(hclsyntax.TokenColon, ":")}, head)
	if value != nil {
		out = join(out, expr{token(hclsyntax.TokenFatArrow, "=>")}, value)
	}
	if filter != nil {
		out = join(out, expr{token(hclsyntax.TokenIdent, "if")}, filter)
	}
	return append(out, brackets[1])
}

// forMap is { for item in coll : key => value if filter }; filter may be nil.
func forMap(item string, coll, key, value, filter expr) expr {
	return forExpr(objectFor(), []string{item}, coll, key, value, filter)
}

// forMapKV is { for k, v in coll : key => value if filter }.
func forMapKV(k, v string, coll, key, value, filter expr) expr {
	return forExpr(objectFor(), []string{k, v}, coll, key, value, filter)
}

// forList is [ for item in coll : value if filter ]; filter may be nil.
func forList(item string, coll, value, filter expr) expr {
	return forExpr(tupleFor(), []string{item}, coll, value, nil, filter)
}

// forListKV is [ for k, v in coll : value if filter ]; filter may be nil.
func forListKV(k, v string, coll, value, filter expr) expr {
	return forExpr(tupleFor(), []string{k, v}, coll, value, nil, filter)
}

// keyed is { for x in coll : x.key => x }: a list of blueprint elements as a
// map keyed by their stable keys, for for_each.
func keyed(coll expr) expr { return keyedIf(coll, nil) }

// keyedIf is keyed with a filter on the element x.
func keyedIf(coll, filter expr) expr {
	return forMap("x", coll, ref("x.key"), ref("x"), filter)
}
