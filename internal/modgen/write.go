package modgen

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
)

// Write writes files into dir, creating it, and removes any other .tf or .md
// file there so that a renamed file does not linger.
func Write(dir string, files map[string][]byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	existing, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range existing {
		ext := filepath.Ext(e.Name())
		if _, keep := files[e.Name()]; !keep && !e.IsDir() && (ext == ".tf" || ext == ".md") {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				return err
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if err := os.WriteFile(filepath.Join(dir, name), files[name], 0o644); err != nil {
			return fmt.Errorf("writing %s: %w", name, err)
		}
	}
	return nil
}

// Module returns the files of the module for a cloud.
func Module(cloud string) (map[string][]byte, error) {
	switch cloud {
	case "aws":
		return AWSModule(), nil
	case "gcp":
		return GCPModule(), nil
	case "azure":
		return AzureModule(), nil
	case "kubernetes":
		return KubernetesModule(), nil
	default:
		return nil, fmt.Errorf("no module for %q yet; supported: aws, gcp, azure, kubernetes", cloud)
	}
}
