// Package shape describes Go types as the tree of strings, numbers, bools,
// lists, maps and objects that Terraform values are made of. The provider
// builds its schema from a shape, and the module generator its variable
// types, so both follow the same Go types and cannot drift apart.
package shape

import (
	"fmt"
	"reflect"
	"strings"
)

// Kind is the kind of a Terraform value.
type Kind int

// The kinds.
const (
	String Kind = iota
	Number
	Bool
	List
	Map
	Object
)

// Shape is the Terraform form of a Go type.
type Shape struct {
	Kind   Kind
	Elem   *Shape  // of a List or Map
	Fields []Field // of an Object, in declaration order
	// Nullable is true for a Go pointer, whose nil is Terraform's null, and
	// for a slice or map field tagged tf:"nullable", which is null when
	// empty (as encoding/json writes a nil slice or map).
	// It marks what a value does not have (a security group rule has no
	// priority) and the per-cloud parts that are null for the other clouds.
	Nullable bool
}

// Field is one attribute of an object.
type Field struct {
	Name  string // from the json tag
	Doc   string // from the doc tag
	Shape Shape
	Index int // the Go struct field index
}

// Of returns the shape of t. Struct fields are named by their json tags and
// documented by their doc tags; a field without either is a programming
// error, and Of panics so that tests catch it.
func Of(t reflect.Type) Shape {
	switch t.Kind() {
	case reflect.Pointer:
		s := Of(t.Elem())
		s.Nullable = true
		return s
	case reflect.String:
		return Shape{Kind: String}
	case reflect.Int, reflect.Int32, reflect.Int64:
		return Shape{Kind: Number}
	case reflect.Bool:
		return Shape{Kind: Bool}
	case reflect.Slice:
		elem := Of(t.Elem())
		return Shape{Kind: List, Elem: &elem}
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			panic(fmt.Sprintf("shape: map key of %s must be a string", t))
		}
		elem := Of(t.Elem())
		return Shape{Kind: Map, Elem: &elem}
	case reflect.Struct:
		s := Shape{Kind: Object}
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			doc := f.Tag.Get("doc")
			if name == "" || doc == "" {
				panic(fmt.Sprintf("shape: %s.%s needs json and doc tags", t.Name(), f.Name))
			}
			fs := Of(f.Type)
			if f.Tag.Get("tf") == "nullable" && (fs.Kind == List || fs.Kind == Map) {
				fs.Nullable = true
			}
			s.Fields = append(s.Fields, Field{Name: name, Doc: doc, Shape: fs, Index: i})
		}
		return s
	default:
		panic(fmt.Sprintf("shape: unsupported type %s", t))
	}
}

// For returns the shape of T.
func For[T any]() Shape { return Of(reflect.TypeFor[T]()) }
