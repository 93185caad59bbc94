package eval

import (
	"strings"
	"testing"
)

// memberCases are shared by the table test and the fuzz seeds.
var memberCases = []struct {
	in      string
	want    Member // Text is filled in from in
	wantErr string
}{
	{in: "serviceAccount:app@prod-ml.iam.gserviceaccount.com", want: Member{Kind: "serviceAccount", Value: "app@prod-ml.iam.gserviceaccount.com", Project: "prod-ml"}},
	{in: "serviceAccount:App@Prod-ML.IAM.gserviceaccount.com", want: Member{Kind: "serviceAccount", Value: "App@Prod-ML.IAM.gserviceaccount.com", Project: "prod-ml"}},
	{in: "serviceaccount:app@prod-ml.iam.gserviceaccount.com", want: Member{Kind: "serviceAccount", Value: "app@prod-ml.iam.gserviceaccount.com", Project: "prod-ml"}},
	{in: "serviceAccount:sa@proj.example.com.iam.gserviceaccount.com", want: Member{Kind: "serviceAccount", Value: "sa@proj.example.com.iam.gserviceaccount.com", Project: "example.com:proj"}},
	{in: "serviceAccount:service-123456789012@gcp-sa-pubsub.iam.gserviceaccount.com", want: Member{Kind: "serviceAccount", Value: "service-123456789012@gcp-sa-pubsub.iam.gserviceaccount.com", Project: "123456789012", ProjectNumber: true, GoogleManaged: true}},
	{in: "serviceAccount:service-42@compute-system.iam.gserviceaccount.com", want: Member{Kind: "serviceAccount", Value: "service-42@compute-system.iam.gserviceaccount.com", Project: "42", ProjectNumber: true, GoogleManaged: true}},
	{in: "serviceAccount:service-42@cloud-ml.google.com.iam.gserviceaccount.com", want: Member{Kind: "serviceAccount", Value: "service-42@cloud-ml.google.com.iam.gserviceaccount.com", Project: "42", ProjectNumber: true, GoogleManaged: true}},
	{in: "serviceAccount:project-42@storage-transfer-service.iam.gserviceaccount.com", want: Member{Kind: "serviceAccount", Value: "project-42@storage-transfer-service.iam.gserviceaccount.com", Project: "42", ProjectNumber: true, GoogleManaged: true}},
	{in: "serviceAccount:p42-abcd@gcp-sa-cloud-sql.iam.gserviceaccount.com", want: Member{Kind: "serviceAccount", Value: "p42-abcd@gcp-sa-cloud-sql.iam.gserviceaccount.com", Project: "42", ProjectNumber: true, GoogleManaged: true}},
	{in: "serviceAccount:service-org-42@gcp-sa-logging.iam.gserviceaccount.com", want: Member{Kind: "serviceAccount", Value: "service-org-42@gcp-sa-logging.iam.gserviceaccount.com", GoogleManaged: true}},
	{in: "serviceAccount:odd@gcp-sa-x.iam.gserviceaccount.com", want: Member{Kind: "serviceAccount", Value: "odd@gcp-sa-x.iam.gserviceaccount.com", GoogleManaged: true}},
	{in: "serviceAccount:42-compute@developer.gserviceaccount.com", want: Member{Kind: "serviceAccount", Value: "42-compute@developer.gserviceaccount.com", Project: "42", ProjectNumber: true, GoogleManaged: true}},
	{in: "serviceAccount:42@cloudservices.gserviceaccount.com", want: Member{Kind: "serviceAccount", Value: "42@cloudservices.gserviceaccount.com", Project: "42", ProjectNumber: true, GoogleManaged: true}},
	{in: "serviceAccount:42@cloudbuild.gserviceaccount.com", want: Member{Kind: "serviceAccount", Value: "42@cloudbuild.gserviceaccount.com", Project: "42", ProjectNumber: true, GoogleManaged: true}},
	{in: "serviceAccount:prod-ml@appspot.gserviceaccount.com", want: Member{Kind: "serviceAccount", Value: "prod-ml@appspot.gserviceaccount.com", Project: "prod-ml"}},
	{in: "serviceAccount:x@y.com", want: Member{Kind: "serviceAccount", Value: "x@y.com"}},
	{in: "serviceAccount:prod-ml.svc.id.goog[serving/model-api]", want: Member{Kind: "serviceAccount", Value: "prod-ml.svc.id.goog[serving/model-api]", Project: "prod-ml", WorkloadIdentity: true}},
	{in: "user:alice@example.com", want: Member{Kind: "user", Value: "alice@example.com"}},
	{in: "group:ml-team@example.com", want: Member{Kind: "group", Value: "ml-team@example.com"}},
	{in: "domain:example.com", want: Member{Kind: "domain", Value: "example.com"}},
	{in: "allUsers", want: Member{Kind: "allUsers", Public: true}},
	{in: "allAuthenticatedUsers", want: Member{Kind: "allAuthenticatedUsers", Public: true}},
	{in: "projectOwner:prod-ml", want: Member{Kind: "projectOwner", Value: "prod-ml", Project: "prod-ml"}},
	{in: "projectEditor:dev-ml", want: Member{Kind: "projectEditor", Value: "dev-ml", Project: "dev-ml"}},
	{in: "projectViewer:stage-ml", want: Member{Kind: "projectViewer", Value: "stage-ml", Project: "stage-ml"}},
	{
		in:   "principal://iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/gh/subject/repo:org/x:ref:refs/heads/main",
		want: Member{Kind: "principal", Value: "principal://iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/gh/subject/repo:org/x:ref:refs/heads/main", Project: "123456", ProjectNumber: true},
	},
	{
		in:   "principalSet://iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/gh/attribute.repository/org/x",
		want: Member{Kind: "principalSet", Value: "principalSet://iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/gh/attribute.repository/org/x", Project: "123456", ProjectNumber: true},
	},
	{
		in:   "principal://iam.googleapis.com/locations/global/workforcePools/staff/subject/alice",
		want: Member{Kind: "principal", Value: "principal://iam.googleapis.com/locations/global/workforcePools/staff/subject/alice"},
	},
	{in: "principalSet://goog/public:all", want: Member{Kind: "principalSet", Value: "principalSet://goog/public:all", Public: true}},
	{
		in:   "deleted:serviceAccount:app@prod-ml.iam.gserviceaccount.com?uid=123456789",
		want: Member{Kind: "serviceAccount", Value: "app@prod-ml.iam.gserviceaccount.com", Project: "prod-ml", Deleted: true},
	},
	{in: "deleted:user:bob@example.com?uid=1", want: Member{Kind: "user", Value: "bob@example.com", Deleted: true}},
	{in: "", wantErr: "empty"},
	{in: "alice@example.com", wantErr: "want TYPE:VALUE"},
	{in: "robot:x", wantErr: `unknown member type "robot"`},
	{in: "user:", wantErr: "empty user"},
	{in: "user:alice", wantErr: "not an e-mail address"},
	{in: "serviceAccount:@x.iam.gserviceaccount.com", wantErr: "not an e-mail address"},
	{in: "domain:a@b.com", wantErr: "not a domain"},
	{in: "serviceAccount:prod.svc.id.goog[serving]", wantErr: "want PROJECT.svc.id.goog[NAMESPACE/KSA]"},
	{in: "serviceAccount:prod.example[ns/ksa]", wantErr: "want PROJECT.svc.id.goog"},
	{in: "principal://", wantErr: "want principal://HOST/PATH"},
	{in: "principalSet://iam.googleapis.com/projects//x", wantErr: "empty project"},
	{in: "deleted:allUsers", wantErr: "only service accounts"},
	{in: "deleted:domain:example.com", wantErr: "only service accounts"},
}

func TestParseGCPMember(t *testing.T) {
	for _, tc := range memberCases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseGCPMember(tc.in)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			want := tc.want
			want.Text = tc.in
			if got != want {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
			p, err := GCPMember(tc.in)
			if err != nil || p.Text != tc.in || p.Account != want.Project || p.Condition != "" || p.Ref != "" {
				t.Errorf("GCPMember = %+v, %v", p, err)
			}
		})
	}
}

func FuzzGCPMember(f *testing.F) {
	for _, tc := range memberCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		m, err := ParseGCPMember(in)
		p, err2 := GCPMember(in)
		if (err == nil) != (err2 == nil) {
			t.Fatalf("ParseGCPMember and GCPMember disagree: %v / %v", err, err2)
		}
		if err != nil {
			if !strings.HasPrefix(err.Error(), "gcp member") {
				t.Errorf("error %q lacks its prefix", err)
			}
			return
		}
		if m.Text != in || p.Text != in || p.Account != m.Project {
			t.Errorf("got %+v / %+v for %q", m, p, in)
		}
		if m.ProjectNumber != (m.Project != "" && allDigits(m.Project)) {
			t.Errorf("ProjectNumber %v for project %q", m.ProjectNumber, m.Project)
		}
		if m.Kind == "" {
			t.Errorf("no kind for %q", in)
		}
	})
}
