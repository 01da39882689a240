resource "aws_eks_fargate_profile" "jobs" {
  cluster_name           = aws_eks_cluster.main.name
  fargate_profile_name   = "jobs"
  pod_execution_role_arn = aws_iam_role.fargate_pod_execution.arn
  subnet_ids             = var.private_subnet_ids

  selector {
    namespace = "jobs"
  }
}

resource "aws_eks_pod_identity_association" "etl" {
  cluster_name    = aws_eks_cluster.main.name
  namespace       = "jobs"
  service_account = "etl"
  role_arn        = "arn:aws:iam::123456789012:role/jobs-etl"
}
