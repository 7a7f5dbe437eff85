#!/usr/bin/env python3
"""gen-alt.py KIND ROWS OUT - a second generator for the benchmark.

The bench's first generator is build/pilvi-gen, written with the
analyzer; a speed measured on one generator's files says as much about
that generator as about the ingest. This one is written apart from it
and shapes its files otherwise, the way a large organisation's bill
looks rather than a small team's:

  - 60 linked accounts, 40 products, about 900 usage types, and 200,000
    resources, each of one usage type in one account (pilvi-gen: a few
    accounts, a few thousand resources);
  - every row hourly, in time order within an account, over a 31-day
    month, so the days are many and the rows per key few;
  - five cost-allocation tags, two of them often empty, one holding
    values with commas and quotes that must be quoted;
  - long descriptions, CUR with the product columns a default export
    carries (about 40 columns against pilvi-gen's 28);
  - amounts with up to 10 decimals, some zero, a few negative
    (credits), written as AWS writes them.

KIND is dbr-rt or cur; the files load into pilvi-analyzer, sqlite3 and
DuckDB as the first generator's do. Deterministic: the same arguments
give the same bytes.
"""
import csv
import random
import sys

PAYER = "210987654321"
MONTH = "2026-10"
DAYS = 31

PRODUCTS = [
    ("AmazonEC2", "Amazon Elastic Compute Cloud"),
    ("AmazonS3", "Amazon Simple Storage Service"),
    ("AmazonRDS", "Amazon Relational Database Service"),
    ("AWSLambda", "AWS Lambda"),
    ("AmazonDynamoDB", "Amazon DynamoDB"),
    ("AmazonCloudWatch", "AmazonCloudWatch"),
    ("AWSDataTransfer", "AWS Data Transfer"),
    ("AmazonVPC", "Amazon Virtual Private Cloud"),
    ("AmazonECS", "Amazon Elastic Container Service"),
    ("AmazonEKS", "Amazon Elastic Container Service for Kubernetes"),
    ("AmazonElastiCache", "Amazon ElastiCache"),
    ("AWSELB", "Elastic Load Balancing"),
    ("AmazonSNS", "Amazon Simple Notification Service"),
    ("AWSQueueService", "Amazon Simple Queue Service"),
    ("AmazonRoute53", "Amazon Route 53"),
    ("AmazonCloudFront", "Amazon CloudFront"),
    ("AmazonKinesis", "Amazon Kinesis"),
    ("AmazonES", "Amazon OpenSearch Service"),
    ("AmazonRedshift", "Amazon Redshift"),
    ("AWSGlue", "AWS Glue"),
    ("AmazonAthena", "Amazon Athena"),
    ("AWSKMS", "AWS Key Management Service"),
    ("AWSSecretsManager", "AWS Secrets Manager"),
    ("AmazonEFS", "Amazon Elastic File System"),
    ("AmazonSageMaker", "Amazon SageMaker"),
    ("AWSBackup", "AWS Backup"),
    ("AmazonGuardDuty", "Amazon GuardDuty"),
    ("AWSConfig", "AWS Config"),
    ("AWSCloudTrail", "AWS CloudTrail"),
    ("AmazonApiGateway", "Amazon API Gateway"),
    ("AWSStepFunctions", "AWS Step Functions"),
    ("AmazonMSK", "Amazon Managed Streaming for Apache Kafka"),
    ("AmazonMQ", "Amazon MQ"),
    ("AWSCodeBuild", "AWS CodeBuild"),
    ("AmazonECR", "Amazon EC2 Container Registry (ECR)"),
    ("AmazonWorkSpaces", "Amazon WorkSpaces"),
    ("AWSDirectConnect", "AWS Direct Connect"),
    ("AmazonInspectorV2", "Amazon Inspector"),
    ("AWSWAF", "AWS WAF"),
    ("AmazonTimestream", "Amazon Timestream"),
]
REGIONS = [("EU", "eu-west-1"), ("USE1", "us-east-1"), ("EUC1", "eu-central-1"),
           ("APN1", "ap-northeast-1"), ("USW2", "us-west-2")]
TEAMS = ["platform", "data", "web", "mobile", "ml", "search, ranking",
         'payments "core"', "infra", ""]
ENVS = ["prod", "staging", "dev", "test", ""]


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("dbr-rt", "cur"):
        sys.exit("usage: gen-alt.py dbr-rt|cur ROWS OUT")
    kind, rows, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    rnd = random.Random(20261203)
    accounts = ["%012d" % rnd.randrange(10**11, 10**12) for _ in range(60)]
    meters = []
    for i in range(900):
        code, name = PRODUCTS[rnd.randrange(len(PRODUCTS))]
        prefix, region = REGIONS[rnd.randrange(len(REGIONS))]
        ut = "%s-%s-Usage-%03d" % (prefix, code[-6:], i)
        rate = round(rnd.lognormvariate(-3, 2), 10)
        meters.append((code, name, ut, "Op%03d" % (i % 97), region, rate))
    resources = []
    for i in range(200000):
        m = rnd.randrange(len(meters))
        acct = accounts[rnd.randrange(len(accounts))]
        resources.append((m, acct, "arn:aws:%s:%s:%s:res/%06d" % (
            meters[m][0].lower(), meters[m][4], acct, i)))
    per_hour = max(1, rows // (DAYS * 24))
    with open(out, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        if kind == "dbr-rt":
            w.writerow(["InvoiceID", "PayerAccountId", "LinkedAccountId",
                        "RecordType", "RecordId", "ProductName", "RateId",
                        "SubscriptionId", "PricingPlanId", "UsageType",
                        "Operation", "AvailabilityZone", "ReservedInstance",
                        "ItemDescription", "UsageStartDate", "UsageEndDate",
                        "UsageQuantity", "BlendedRate", "BlendedCost",
                        "UnBlendedRate", "UnBlendedCost", "ResourceId",
                        "user:team", "user:env", "user:cost-center",
                        "user:owner", "user:app"])
        else:
            w.writerow(["identity/LineItemId", "identity/TimeInterval",
                        "bill/InvoiceId", "bill/InvoicingEntity",
                        "bill/BillingEntity", "bill/BillType",
                        "bill/PayerAccountId", "bill/BillingPeriodStartDate",
                        "bill/BillingPeriodEndDate",
                        "lineItem/UsageAccountId", "lineItem/LineItemType",
                        "lineItem/UsageStartDate", "lineItem/UsageEndDate",
                        "lineItem/ProductCode", "lineItem/UsageType",
                        "lineItem/Operation", "lineItem/AvailabilityZone",
                        "lineItem/ResourceId", "lineItem/UsageAmount",
                        "lineItem/NormalizationFactor",
                        "lineItem/NormalizedUsageAmount",
                        "lineItem/CurrencyCode", "lineItem/UnblendedRate",
                        "lineItem/UnblendedCost", "lineItem/BlendedRate",
                        "lineItem/BlendedCost",
                        "lineItem/LineItemDescription",
                        "lineItem/TaxType", "lineItem/LegalEntity",
                        "product/ProductName", "product/region",
                        "product/instanceType", "product/operatingSystem",
                        "product/servicecode", "pricing/term",
                        "pricing/unit", "resourceTags/user:team",
                        "resourceTags/user:env",
                        "resourceTags/user:cost-center",
                        "resourceTags/user:owner", "resourceTags/user:app"])
        n = 0
        seq = 0
        hour = 0
        while n < rows:
            day, h = 1 + hour // 24 % DAYS, hour % 24
            start = "%s-%02d %02d:00:00" % (MONTH, day, h)
            end = "%s-%02d %02d:59:59" % (MONTH, day, h)
            cstart = "%s-%02dT%02d:00:00Z" % (MONTH, day, h)
            cend = ("%s-%02dT%02d:00:00Z" % (MONTH, day, h + 1) if h < 23
                    else "%s-%02dT00:00:00Z" % (MONTH, day + 1)
                    if day < DAYS else "2026-11-01T00:00:00Z")
            for _ in range(min(per_hour, rows - n)):
                m, acct, res = resources[rnd.randrange(len(resources))]
                code, name, ut, op, region, rate = meters[m]
                qty = round(rnd.expovariate(0.2), 8)
                cost = round(qty * rate, 10)
                if rnd.randrange(200) == 0:
                    cost = -cost
                desc = ("%s %s in %s, %s hourly, charged per %s (%s)" %
                        (name, ut, region, op, "unit", acct))
                tags = [TEAMS[rnd.randrange(len(TEAMS))],
                        ENVS[rnd.randrange(len(ENVS))],
                        "cc-%04d" % rnd.randrange(300)
                        if rnd.randrange(3) else "",
                        "user%03d@example.com" % rnd.randrange(400)
                        if rnd.randrange(2) else "",
                        "app-%d" % rnd.randrange(150)]
                seq += 1
                if kind == "dbr-rt":
                    w.writerow(["Estimated", PAYER, acct, "LineItem",
                                "4%018d" % seq, name, str(seq % 99991),
                                str(seq % 7919), str(seq % 104729), ut, op,
                                region + "a", "N", desc, start, end,
                                "%.8f" % qty, "%.10f" % rate,
                                "%.8f" % cost, "%.10f" % rate,
                                "%.10f" % cost, res] + tags)
                else:
                    w.writerow(["%052x" % seq, cstart + "/" + cend, "",
                                "Amazon Web Services EMEA SARL", "AWS",
                                "Anniversary", PAYER,
                                "2026-10-01T00:00:00Z",
                                "2026-11-01T00:00:00Z", acct,
                                "Credit" if cost < 0 else "Usage", cstart,
                                cend, code, ut, op, region + "a", res,
                                "%.10f" % qty, "", "", "USD",
                                "%.10f" % rate, "%.10f" % cost,
                                "%.10f" % rate, "%.10f" % cost, desc, "",
                                "Amazon Web Services EMEA SARL", name,
                                region, "", "", code, "OnDemand", "Hrs"]
                               + tags)
                n += 1
            hour += 1


if __name__ == "__main__":
    main()
