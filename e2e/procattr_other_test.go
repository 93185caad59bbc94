//go:build e2e && !linux

package e2e

import (
	"os"
	"syscall"
)

func motoProcAttr() *syscall.SysProcAttr { return nil }

func terraformProcAttr() *syscall.SysProcAttr { return nil }

func killGroup(pid int, hard bool) error {
	p, err := os.FindProcess(pid)
	if err != nil {
		return err
	}
	if hard {
		return p.Kill()
	}
	return p.Signal(os.Interrupt)
}
