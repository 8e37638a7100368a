"""Writes N approved endorsements as a CSV for `endorse import`: 150 countries, every type."""
import sys

n = int(sys.argv[1])
countries = ["AD","AE","AF","AG","AL","AM","AO","AR","AT","AU","AZ","BA","BB","BD","BE","BF","BG","BH","BI","BJ",
 "BN","BO","BR","BS","BT","BW","BY","BZ","CA","CD","CF","CG","CH","CI","CL","CM","CN","CO","CR","CU","CV","CY","CZ",
 "DE","DJ","DK","DM","DO","DZ","EC","EE","EG","ER","ES","ET","FI","FJ","FM","FR","GA","GB","GD","GE","GH","GM","GN",
 "GQ","GR","GT","GW","GY","HN","HR","HT","HU","ID","IE","IL","IN","IQ","IR","IS","IT","JM","JO","JP","KE","KG","KH",
 "KI","KM","KN","KP","KR","KW","KZ","LA","LB","LC","LI","LK","LR","LS","LT","LU","LV","LY","MA","MC","MD","ME","MG",
 "MH","MK","ML","MM","MN","MR","MT","MU","MV","MW","MX","MY","MZ","NA","NE","NG","NI","NL","NO","NP","NR","NZ","OM",
 "PA","PE","PG","PH","PK","PL","PT","PW","PY","QA","RO","RS","RU","RW","SA","SB"]
types = ["ngo", "network", "academic", "faith_based", "legal", "un_agency", "intergovernmental", "other"]
out = sys.stdout
out.write("organisation_name,organisation_type,country_code,website,statement,endorsed_at,visibility\n")
for i in range(n):
    year = 2012 + (i * 14) // n
    month = 1 + (i * 7) % 12
    out.write(
        f"Organisation {i:07d},{types[i % len(types)]},{countries[i % len(countries)]},"
        f"https://org{i}.example.org,We endorse the campaign.,{year}-{month:02d}-15,"
        f"{'count_only' if i % 10 == 0 else 'public'}\n"
    )
