// A stand-in for the `command` resource provider (pulumi-resource-command 1.2.1), used only to run
// this repository's examples and end-to-end tests where the real provider cannot be built: its Go
// module (github.com/pulumi/pulumi-command/provider) is not published on the Go module proxy, and
// the release binaries cannot be downloaded here. It implements the two resource types the examples
// use with the same tokens and input names as @pulumi/command 1.2.1:
//
//   - command:local:Command runs `interpreter` (default /bin/sh -c) with `create`, `update` or
//     `delete` appended, `environment` added to the process environment, and returns stdout/stderr;
//   - command:remote:Command previews like the real provider; create/update/delete over SSH are not
//     implemented and fail with a clear message (the tests never apply remote commands).
//
// Inputs are returned unchanged by Check, so policies see what the program declared. Users with a
// real Pulumi installation use the real provider; scripts/ensure-pulumi.sh only builds this one when
// no `pulumi-resource-command` is available.
package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"

	pbempty "google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

const (
	providerName = "command"
	localType    = "command:local:Command"
	remoteType   = "command:remote:Command"
)

// Version is set at build time (-ldflags "-X main.Version=1.2.1").
var Version = "1.2.1"

type commandProvider struct {
	pulumirpc.UnimplementedResourceProviderServer
}

func main() {
	err := provider.Main(providerName, func(*provider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		return &commandProvider{}, nil
	})
	if err != nil {
		cmdutil.ExitError(err.Error())
	}
}

var keepUnknowns = plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, SkipNulls: true}


func (p *commandProvider) GetPluginInfo(context.Context, *pbempty.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: Version}, nil
}

func (p *commandProvider) GetSchema(context.Context, *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	return &pulumirpc.GetSchemaResponse{Schema: fmt.Sprintf(`{"name":%q,"version":%q}`, providerName, Version)}, nil
}

func (p *commandProvider) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

func (p *commandProvider) DiffConfig(context.Context, *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return &pulumirpc.DiffResponse{}, nil
}

func (p *commandProvider) Configure(context.Context, *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true, SupportsPreview: true, AcceptResources: true}, nil
}

func (p *commandProvider) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

// Diff: `triggers` replace the resource (as in @pulumi/command); any other input change is an update.
func (p *commandProvider) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	olds, err := plugin.UnmarshalProperties(req.GetOldInputs(), keepUnknowns)
	if err != nil {
		return nil, err
	}
	news, err := plugin.UnmarshalProperties(req.GetNews(), keepUnknowns)
	if err != nil {
		return nil, err
	}
	diff := olds.Diff(news)
	if diff == nil {
		return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}, nil
	}
	var changed, replaces []string
	for _, k := range diff.ChangedKeys() {
		changed = append(changed, string(k))
		if k == "triggers" {
			replaces = append(replaces, string(k))
		}
	}
	sort.Strings(changed)
	return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_SOME, Diffs: changed, Replaces: replaces}, nil
}

func (p *commandProvider) Create(ctx context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	inputs, err := plugin.UnmarshalProperties(req.GetProperties(), keepUnknowns)
	if err != nil {
		return nil, err
	}
	outputs, err := p.run(ctx, resource.URN(req.GetUrn()).Type().String(), inputs, "create", req.GetPreview())
	if err != nil {
		return nil, err
	}
	props, err := plugin.MarshalProperties(outputs, keepUnknowns)
	if err != nil {
		return nil, err
	}
	id, err := resource.NewUniqueHex("cmd-", 8, 0)
	if err != nil {
		return nil, err
	}
	if req.GetPreview() {
		id = ""
	}
	return &pulumirpc.CreateResponse{Id: id, Properties: props}, nil
}

func (p *commandProvider) Update(ctx context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	inputs, err := plugin.UnmarshalProperties(req.GetNews(), keepUnknowns)
	if err != nil {
		return nil, err
	}
	script := "update"
	if !inputs.HasValue("update") {
		script = "create"
	}
	outputs, err := p.run(ctx, resource.URN(req.GetUrn()).Type().String(), inputs, resource.PropertyKey(script), req.GetPreview())
	if err != nil {
		return nil, err
	}
	props, err := plugin.MarshalProperties(outputs, keepUnknowns)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.UpdateResponse{Properties: props}, nil
}

func (p *commandProvider) Delete(ctx context.Context, req *pulumirpc.DeleteRequest) (*pbempty.Empty, error) {
	inputs, err := plugin.UnmarshalProperties(req.GetOldInputs(), keepUnknowns)
	if err != nil {
		return nil, err
	}
	if inputs.HasValue("delete") {
		if _, err := p.run(ctx, resource.URN(req.GetUrn()).Type().String(), inputs, "delete", false); err != nil {
			return nil, err
		}
	}
	return &pbempty.Empty{}, nil
}

func (p *commandProvider) Read(_ context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	return &pulumirpc.ReadResponse{Id: req.GetId(), Properties: req.GetProperties(), Inputs: req.GetInputs()}, nil
}

// run executes one of the scripts and returns the resource's outputs: its inputs plus stdout/stderr.
func (p *commandProvider) run(ctx context.Context, typ string, inputs resource.PropertyMap, script resource.PropertyKey, preview bool) (resource.PropertyMap, error) {
	outputs := inputs.Copy()
	if preview {
		outputs["stdout"] = resource.MakeComputed(resource.NewStringProperty(""))
		outputs["stderr"] = resource.MakeComputed(resource.NewStringProperty(""))
		return outputs, nil
	}
	text := inputs[script]
	if !text.HasValue() {
		return outputs, nil
	}
	if text.IsSecret() {
		text = text.SecretValue().Element
	}
	if !text.IsString() {
		return nil, fmt.Errorf("%s: %s is not a string", typ, script)
	}
	if typ == remoteType {
		return nil, fmt.Errorf("%s: this stand-in command provider does not connect over SSH; install the real pulumi-resource-command to apply remote commands", typ)
	}
	interpreter := []string{"/bin/sh", "-c"}
	if v, ok := inputs["interpreter"]; ok && v.IsArray() {
		interpreter = nil
		for _, e := range v.ArrayValue() {
			interpreter = append(interpreter, e.StringValue())
		}
	}
	args := append(append([]string{}, interpreter[1:]...), text.StringValue())
	cmd := exec.CommandContext(ctx, interpreter[0], args...)
	if dir, ok := inputs["dir"]; ok && dir.IsString() {
		cmd.Dir = dir.StringValue()
	}
	cmd.Env = os.Environ()
	if env, ok := inputs["environment"]; ok && env.IsObject() {
		for k, v := range env.ObjectValue() {
			if v.IsSecret() {
				v = v.SecretValue().Element
			}
			if v.IsString() {
				cmd.Env = append(cmd.Env, fmt.Sprintf("%s=%s", k, v.StringValue()))
			}
		}
	}
	if stdin, ok := inputs["stdin"]; ok && stdin.IsString() {
		cmd.Stdin = strings.NewReader(stdin.StringValue())
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s: %v: %s", typ, err, strings.TrimSpace(stderr.String()))
	}
	outputs["stdout"] = resource.NewStringProperty(strings.TrimRight(stdout.String(), "\n"))
	outputs["stderr"] = resource.NewStringProperty(strings.TrimRight(stderr.String(), "\n"))
	return outputs, nil
}
