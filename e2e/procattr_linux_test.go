//go:build e2e

package e2e

import (
	"syscall"
)

// motoProcAttr puts moto_server in its own process group, so that stopping it
// also stops the workers it forks, and has the kernel kill it when the test
// binary dies (a `go test -timeout` panic runs no cleanup).
func motoProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// terraformProcAttr has the kernel interrupt Terraform when the test binary
// dies, so that it stops and releases its providers.
func terraformProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGINT}
}

// killGroup signals a process group: SIGTERM, or SIGKILL when hard.
func killGroup(pid int, hard bool) error {
	sig := syscall.SIGTERM
	if hard {
		sig = syscall.SIGKILL
	}
	return syscall.Kill(-pid, sig)
}
