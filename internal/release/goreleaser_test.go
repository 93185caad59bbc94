// Package release holds the checks of the release configuration: that
// .goreleaser.yml and terraform-registry-manifest.json produce the files, the
// names and the signature the Terraform registry expects of a provider
// release.
package release

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"text/template"

	"gopkg.in/yaml.v3"
)

// goreleaser is the part of .goreleaser.yml the registry cares about.
type goreleaser struct {
	Version     int    `yaml:"version"`
	ProjectName string `yaml:"project_name"`
	Builds      []struct {
		Env     []string `yaml:"env"`
		Flags   []string `yaml:"flags"`
		Ldflags []string `yaml:"ldflags"`
		Goos    []string `yaml:"goos"`
		Goarch  []string `yaml:"goarch"`
		Ignore  []any    `yaml:"ignore"`
		Binary  string   `yaml:"binary"`
	} `yaml:"builds"`
	Archives []struct {
		Formats      []string `yaml:"formats"`
		NameTemplate string   `yaml:"name_template"`
	} `yaml:"archives"`
	Checksum struct {
		NameTemplate string      `yaml:"name_template"`
		Algorithm    string      `yaml:"algorithm"`
		ExtraFiles   []extraFile `yaml:"extra_files"`
	} `yaml:"checksum"`
	Signs []struct {
		Artifacts string   `yaml:"artifacts"`
		Args      []string `yaml:"args"`
	} `yaml:"signs"`
	Release struct {
		ExtraFiles []extraFile `yaml:"extra_files"`
	} `yaml:"release"`
}

type extraFile struct {
	Glob         string `yaml:"glob"`
	NameTemplate string `yaml:"name_template"`
}

const (
	project  = "terraform-provider-segmented"
	version  = "0.1.0" // what goreleaser's .Version is for the tag v0.1.0
	manifest = "terraform-registry-manifest.json"
)

func load(t *testing.T) goreleaser {
	t.Helper()
	b, err := os.ReadFile("../../.goreleaser.yml")
	if err != nil {
		t.Fatal(err)
	}
	var g goreleaser
	dec := yaml.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&g); err != nil {
		t.Fatalf(".goreleaser.yml: %v", err)
	}
	return g
}

// render executes a goreleaser name template the way goreleaser does for the
// fields these templates use.
func render(t *testing.T, tmpl, goos, goarch string) string {
	t.Helper()
	tp, err := template.New("name").Option("missingkey=error").Parse(tmpl)
	if err != nil {
		t.Fatalf("template %q: %v", tmpl, err)
	}
	var b strings.Builder
	err = tp.Execute(&b, map[string]any{"ProjectName": project, "Version": version, "Os": goos, "Arch": goarch})
	if err != nil {
		t.Fatalf("template %q: %v", tmpl, err)
	}
	return b.String()
}

func TestGoreleaserBuilds(t *testing.T) {
	g := load(t)
	if g.Version != 2 {
		t.Errorf("version: %d, want 2 (goreleaser v2)", g.Version)
	}
	if g.ProjectName != project {
		t.Errorf("project_name %q, want %q: the registry finds a provider's files by this prefix", g.ProjectName, project)
	}
	if len(g.Builds) != 1 {
		t.Fatalf("want one build, got %d", len(g.Builds))
	}
	b := g.Builds[0]
	if !slices.Contains(b.Env, "CGO_ENABLED=0") {
		t.Errorf("env %v lacks CGO_ENABLED=0", b.Env)
	}
	if !slices.Contains(b.Flags, "-trimpath") {
		t.Errorf("flags %v lack -trimpath", b.Flags)
	}
	if !slices.Contains(b.Ldflags, "-s -w -X main.version={{.Version}}") {
		t.Errorf("ldflags %v do not inject main.version", b.Ldflags)
	}
	main, err := os.ReadFile("../../main.go")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^var version = `).Match(main) {
		t.Error("main.go has no `var version` for -X main.version to set")
	}

	// The six platforms: linux, darwin and windows on amd64 and arm64.
	var platforms []string
	for _, goos := range b.Goos {
		for _, goarch := range b.Goarch {
			platforms = append(platforms, goos+"_"+goarch)
		}
	}
	slices.Sort(platforms)
	want := []string{"darwin_amd64", "darwin_arm64", "linux_amd64", "linux_arm64", "windows_amd64", "windows_arm64"}
	if !slices.Equal(platforms, want) || len(b.Ignore) > 0 {
		t.Errorf("platforms %v (ignoring %v), want %v", platforms, b.Ignore, want)
	}

	// The registry runs the binary named terraform-provider-<name>_v<version>.
	if got := render(t, b.Binary, "linux", "amd64"); got != project+"_v"+version {
		t.Errorf("binary %q, want %q", got, project+"_v"+version)
	}
}

func TestGoreleaserArchivesChecksumsAndSignature(t *testing.T) {
	g := load(t)
	if len(g.Archives) != 1 || !slices.Equal(g.Archives[0].Formats, []string{"zip"}) {
		t.Fatalf("want one zip archive per platform, got %+v", g.Archives)
	}
	// terraform-provider-<name>_<version>_<os>_<arch>.zip
	archive := regexp.MustCompile(`^terraform-provider-segmented_0\.1\.0_(linux|darwin|windows)_(amd64|arm64)$`)
	for _, goos := range g.Builds[0].Goos {
		for _, goarch := range g.Builds[0].Goarch {
			if name := render(t, g.Archives[0].NameTemplate, goos, goarch); !archive.MatchString(name) || !strings.HasSuffix(name, goos+"_"+goarch) {
				t.Errorf("archive for %s_%s is %q.zip, want %s_%s_%s_%s.zip", goos, goarch, name, project, version, goos, goarch)
			}
		}
	}

	if got, want := render(t, g.Checksum.NameTemplate, "", ""), project+"_"+version+"_SHA256SUMS"; got != want {
		t.Errorf("checksum file %q, want %q", got, want)
	}
	if g.Checksum.Algorithm != "sha256" {
		t.Errorf("checksum algorithm %q, want sha256", g.Checksum.Algorithm)
	}
	manifestName := project + "_" + version + "_manifest.json"
	for where, files := range map[string][]extraFile{"checksum": g.Checksum.ExtraFiles, "release": g.Release.ExtraFiles} {
		if !slices.ContainsFunc(files, func(f extraFile) bool {
			return f.Glob == manifest && render(t, f.NameTemplate, "", "") == manifestName
		}) {
			t.Errorf("%s.extra_files must hold %s as %s, got %+v", where, manifest, manifestName, files)
		}
	}

	if len(g.Signs) != 1 || g.Signs[0].Artifacts != "checksum" {
		t.Fatalf("want one signature, of the checksum file, got %+v", g.Signs)
	}
	wantArgs := []string{"--batch", "--local-user", "{{ .Env.GPG_FINGERPRINT }}", "--output", "${signature}", "--detach-sign", "${artifact}"}
	if !slices.Equal(g.Signs[0].Args, wantArgs) {
		t.Errorf("gpg arguments %q, want %q", g.Signs[0].Args, wantArgs)
	}
}

func TestRegistryManifest(t *testing.T) {
	b, err := os.ReadFile("../../" + manifest)
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Version  int `json:"version"`
		Metadata struct {
			ProtocolVersions []string `json:"protocol_versions"`
		} `json:"metadata"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("%s: %v", manifest, err)
	}
	// The provider speaks protocol 6: tf6server.Serve in main.go.
	if got := fmt.Sprint(m.Version, m.Metadata.ProtocolVersions); got != "1 [6.0]" {
		t.Errorf("%s: version and protocol_versions %s, want 1 [6.0]", manifest, got)
	}
}
