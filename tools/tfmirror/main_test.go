package main

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestRunLinksTheBinary(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "terraform-provider-aws")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	platform := runtime.GOOS + "_" + runtime.GOARCH
	tests := []struct {
		source string
		want   []string // hosts that hold a link
		absent []string // hosts that must not
	}{
		{source: "hashicorp/aws", want: []string{"registry.terraform.io", "registry.opentofu.org"}},
		{source: "registry.terraform.io/hashicorp/aws", want: []string{"registry.terraform.io"}, absent: []string{"registry.opentofu.org"}},
		{source: "example.com/hashicorp/aws", want: []string{"example.com"}, absent: []string{"registry.terraform.io", "registry.opentofu.org"}},
	}
	for _, tt := range tests {
		t.Run(tt.source, func(t *testing.T) {
			mirror := t.TempDir()
			// Twice: a second run replaces the links.
			for range 2 {
				if err := run(mirror, tt.source, "6.47.1", bin); err != nil {
					t.Fatal(err)
				}
			}
			for _, host := range tt.want {
				link := filepath.Join(mirror, host, "hashicorp", "aws", "6.47.1", platform, "terraform-provider-aws_v6.47.1")
				target, err := os.Readlink(link)
				if err != nil {
					t.Fatalf("%s: %v", host, err)
				}
				if target != bin {
					t.Errorf("%s links to %s, want %s", link, target, bin)
				}
			}
			for _, host := range tt.absent {
				if _, err := os.Stat(filepath.Join(mirror, host)); err == nil {
					t.Errorf("%s holds a link for %s", host, tt.source)
				}
			}
		})
	}
}

func TestRunRejectsBadInput(t *testing.T) {
	dir := t.TempDir()
	for name, args := range map[string][4]string{
		"missing flag":   {dir, "hashicorp/aws", "", "/bin/true"},
		"bad source":     {dir, "not a source!", "1.0.0", "/bin/true"},
		"missing binary": {dir, "hashicorp/aws", "1.0.0", filepath.Join(dir, "nope")},
	} {
		if err := run(args[0], args[1], args[2], args[3]); err == nil {
			t.Errorf("%s: run succeeded", name)
		}
	}
}
