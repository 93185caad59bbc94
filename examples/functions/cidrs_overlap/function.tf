terraform {
  required_version = ">= 1.8"
  required_providers {
    segmented = {
      source = "segmentedml/segmented"
    }
  }
}

# The ranges of networks that segmented_ml_topology does not manage, such as
# a legacy VPC and an on-premises network that peer with the ML platform.
variable "peered_cidrs" {
  type    = list(string)
  default = ["10.64.0.0/16", "10.65.0.0/16", "192.168.0.0/20"]

  validation {
    condition     = length(provider::segmented::cidrs_overlap(var.peered_cidrs)) == 0
    error_message = "Peered ranges must not overlap (rule SEG601)."
  }
}

output "overlaps" {
  # [{ a = "10.64.0.0/16", a_index = 0, b = "10.64.128.0/17", b_index = 2 }]
  value = provider::segmented::cidrs_overlap(["10.64.0.0/16", "10.65.0.0/16", "10.64.128.0/17"])
}

output "peered_cidrs_overlap" {
  value = length(provider::segmented::cidrs_overlap(var.peered_cidrs)) > 0 # false
}
