# Our own template's Terraform flavour for Pod Identity, in short.
data "aws_iam_policy_document" "service_trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole", "sts:TagSession"]
    principals {
      type        = "Service"
      identifiers = ["pods.eks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "service" {
  name               = "vote-service"
  assume_role_policy = data.aws_iam_policy_document.service_trust.json
}

resource "aws_eks_pod_identity_association" "service" {
  cluster_name    = local.cluster_name
  namespace       = "vote"
  service_account = "vote"
  role_arn        = aws_iam_role.service.arn
}
