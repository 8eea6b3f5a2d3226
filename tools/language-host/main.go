// pulumi-language-nodejs for this repository's toolchain: the Node.js language host of Pulumi
// v3.68.0 (the newest release whose host is part of the github.com/pulumi/pulumi/sdk/v3 module; later
// hosts live in a nested module that is not published on the Go module proxy), plus RunPlugin, which
// that release lacks and which Pulumi CLI 3.259 uses to boot Node.js policy packs.
//
// It starts the real v3.68.0 host (installed beside it as pulumi-language-nodejs-host), forwards every
// LanguageRuntime call to it, and answers RunPlugin itself the way Pulumi's legacy policy analyzer
// did: `node @pulumi/pulumi/cmd/run-policy-pack <engine> .` in the policy pack's directory.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	pbempty "google.golang.org/protobuf/types/known/emptypb"

	sdk "github.com/pulumi/pulumi/sdk/v3"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	real pulumirpc.LanguageRuntimeClient
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	self, err := os.Executable()
	if err != nil {
		fail("%v", err)
	}
	realPath := filepath.Join(filepath.Dir(self), "pulumi-language-nodejs-host")
	child := exec.Command(realPath, os.Args[1:]...)
	child.Stderr = os.Stderr
	stdout, err := child.StdoutPipe()
	if err != nil {
		fail("%v", err)
	}
	if err := child.Start(); err != nil {
		fail("starting %s: %v", realPath, err)
	}
	defer func() { _ = child.Process.Signal(syscall.SIGTERM) }()
	reader := bufio.NewReader(stdout)
	portLine, err := reader.ReadString('\n')
	if err != nil {
		fail("reading the port of %s: %v", realPath, err)
	}
	go func() { _, _ = io.Copy(os.Stdout, reader) }()

	conn, err := grpc.NewClient("127.0.0.1:"+strings.TrimSpace(portLine), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		fail("%v", err)
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail("%v", err)
	}
	server := grpc.NewServer()
	pulumirpc.RegisterLanguageRuntimeServer(server, &host{real: pulumirpc.NewLanguageRuntimeClient(conn)})
	fmt.Printf("%d\n", listener.Addr().(*net.TCPAddr).Port)
	go func() {
		_ = child.Wait()
		server.Stop()
	}()
	if err := server.Serve(listener); err != nil {
		fail("%v", err)
	}
}

func (h *host) Handshake(ctx context.Context, req *pulumirpc.LanguageHandshakeRequest) (*pulumirpc.LanguageHandshakeResponse, error) {
	return h.real.Handshake(ctx, req)
}

func (h *host) GetRequiredPlugins(ctx context.Context, req *pulumirpc.GetRequiredPluginsRequest) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return h.real.GetRequiredPlugins(ctx, req)
}

func (h *host) GetRequiredPackages(ctx context.Context, req *pulumirpc.GetRequiredPackagesRequest) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return h.real.GetRequiredPackages(ctx, req)
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	return h.real.Run(ctx, req)
}

func (h *host) GetPluginInfo(ctx context.Context, req *pbempty.Empty) (*pulumirpc.PluginInfo, error) {
	return h.real.GetPluginInfo(ctx, req)
}

func (h *host) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	return h.real.About(ctx, req)
}

func (h *host) GetProgramDependencies(ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return h.real.GetProgramDependencies(ctx, req)
}

func (h *host) RuntimeOptionsPrompts(ctx context.Context, req *pulumirpc.RuntimeOptionsRequest) (*pulumirpc.RuntimeOptionsResponse, error) {
	return h.real.RuntimeOptionsPrompts(ctx, req)
}

func (h *host) InstallDependencies(req *pulumirpc.InstallDependenciesRequest, stream grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse]) error {
	client, err := h.real.InstallDependencies(stream.Context(), req)
	if err != nil {
		return err
	}
	for {
		msg, err := client.Recv()
		if err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		if err := stream.Send(msg); err != nil {
			return err
		}
	}
}

// RunPlugin boots a Node.js policy pack (or any Node plugin directory) with the run-policy-pack entry
// point of the @pulumi/pulumi installed in that directory, streaming its output back to the engine.
// For a policy pack it does what the upstream host does (sdk/nodejs/cmd/pulumi-language-nodejs, RunPlugin):
// it answers the engine through sdk.PolicyProxy until the engine's ConfigureStack says which stack runs
// and whether it is a preview, starts the pack with PULUMI_NODEJS_{ORGANIZATION,PROJECT,STACK,DRY_RUN}
// and PULUMI_CONFIG set from it, and then proxies every call to the pack.
func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest, stream grpc.ServerStreamingServer[pulumirpc.RunPluginResponse]) error {
	ctx := stream.Context()
	dir := req.GetProgram()
	if info := req.GetInfo(); info != nil && info.GetProgramDirectory() != "" {
		dir = info.GetProgramDirectory()
	}
	resolve := exec.Command("node", "-e", "process.stdout.write(require.resolve('@pulumi/pulumi/cmd/run-policy-pack'))")
	resolve.Dir = dir
	entry, err := resolve.Output()
	if err != nil {
		return fmt.Errorf("cannot find @pulumi/pulumi/cmd/run-policy-pack from %s: run npm install there (%v)", dir, err)
	}
	args := append([]string{string(entry)}, req.GetArgs()...)
	args = append(args, ".")

	var sending sync.Mutex
	send := func(msg *pulumirpc.RunPluginResponse) error {
		sending.Lock()
		defer sending.Unlock()
		return stream.Send(msg)
	}
	var stdout io.Writer = streamWriter(func(b []byte) error {
		return send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: b}})
	})
	stderr := streamWriter(func(b []byte) error {
		return send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: b}})
	})

	env := append(os.Environ(), req.GetEnv()...)
	var proxy *sdk.PolicyProxy
	if req.GetKind() == "analyzer" {
		proxy, stdout, err = sdk.NewPolicyProxy(ctx, stdout)
		if err != nil {
			return fmt.Errorf("could not start policy pack proxy: %w", err)
		}
		config, err := proxy.AwaitConfiguration(ctx)
		if err != nil {
			return fmt.Errorf("could not get stack configuration: %w", err)
		}
		if config != nil {
			appendEnv := func(k, v string) {
				if v != "" {
					env = append(env, k+"="+v)
				}
			}
			appendEnv("PULUMI_NODEJS_ORGANIZATION", config.GetOrganization())
			appendEnv("PULUMI_NODEJS_PROJECT", config.GetProject())
			appendEnv("PULUMI_NODEJS_STACK", config.GetStack())
			appendEnv("PULUMI_NODEJS_DRY_RUN", strconv.FormatBool(config.GetDryRun()))
			if config.GetConfig() != nil {
				configJSON, err := json.Marshal(config.GetConfig())
				if err != nil {
					return fmt.Errorf("could not marshal stack configuration: %w", err)
				}
				appendEnv("PULUMI_CONFIG", string(configJSON))
			}
		}
	}

	cmd := exec.Command("node", args...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	if proxy != nil {
		err = proxy.Attach(ctx, cmd)
	} else {
		err = cmd.Wait()
	}
	code := int32(0)
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			code = int32(exit.ExitCode())
		} else {
			return err
		}
	}
	return send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: code}})
}

// streamWriter sends what is written to it as RunPlugin output messages.
type streamWriter func([]byte) error

func (w streamWriter) Write(b []byte) (int, error) {
	if err := w(append([]byte(nil), b...)); err != nil {
		return 0, err
	}
	return len(b), nil
}
