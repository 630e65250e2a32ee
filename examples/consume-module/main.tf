# A plain-HCL configuration consuming a pipeline emitted by `pipeform module`
# (generated/modules/data-lake, from examples/data-lake/pipeline.yaml).
# In a real setup the source is a git tag or a registry version:
#   source = "git::https://git.example.com/ml/pipelines.git//churn?ref=v1.2.0"

terraform {
  required_version = ">= 1.5.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 6.0.0"
    }
  }
}

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["123456789012"]

  default_tags {
    tags = {
      owner = "ml-platform"
    }
  }
}

module "churn" {
  source = "../../generated/modules/data-lake"

  tags = {
    environment = "prod"
  }
}

output "models_bucket" {
  description = "Where the churn models are stored."
  value       = module.churn.bucket_names["models"]
}

output "pipeline_key_arn" {
  description = "The key that encrypts the churn pipeline."
  value       = module.churn.kms_key_arn
}
